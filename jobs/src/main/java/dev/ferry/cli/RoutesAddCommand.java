package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.routes.Route;
import dev.ferry.routes.RouteTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Adds a route (seed 001's DynamoDB item) to ferry_route.",
				"S3: --destination-bucket (and --destination-prefix; --destination-endpoint names a configured"
						+ " ferry.s3-egress.targets.<name>, else the source's own endpoint).",
				"DIRECTORY (seed 001's SFT): --directory, relative to ferry.s3-egress.directory-root." })
class RoutesAddCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--source-bucket", required = true, paramLabel = "<bucket>",
			description = "The bucket the flag and the objects are in.")
	String sourceBucket;

	@Option(names = "--source-prefix", paramLabel = "<prefix>", defaultValue = "",
			description = "The key prefix a flag must be under (a '/' is added at the end).")
	String sourcePrefix;

	@Option(names = "--pipeline", required = true, paramLabel = "<name>",
			description = "The pipeline name (seed 001's sort key; e.g. name#sft for a second route of a prefix).")
	String pipeline;

	@Option(names = "--type", required = true, paramLabel = "<type>",
			description = "S3 or DIRECTORY (SFT is read as DIRECTORY).")
	String type;

	@Option(names = "--destination-endpoint", paramLabel = "<target>",
			description = "S3: a configured target, ferry.s3-egress.targets.<target>; default: the source's endpoint.")
	String destinationEndpoint;

	@Option(names = "--destination-bucket", paramLabel = "<bucket>", description = "S3: the bucket written.")
	String destinationBucket;

	@Option(names = "--destination-prefix", paramLabel = "<prefix>", description = "S3: the key prefix written.")
	String destinationPrefix;

	@Option(names = "--directory", paramLabel = "<dir>",
			description = "DIRECTORY: the directory written, relative to ferry.s3-egress.directory-root.")
	String directory;

	@Option(names = "--recipient", paramLabel = "<team>", description = "The team that receives the files.")
	String recipient;

	@Option(names = "--decrypt", description = "Seed 001's decrypt flag: recorded, not acted on.")
	boolean decrypt;

	private final CliContext context;

	RoutesAddCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		Route route;
		try {
			route = Route.of(this.sourceBucket, this.sourcePrefix, this.pipeline, Route.TransferType.parse(this.type),
					this.destinationEndpoint, this.destinationBucket, this.destinationPrefix, this.directory,
					this.recipient, this.decrypt);
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), ex.getMessage(), ex);
		}
		RouteTable routes = this.context.bean(RouteTable.class);
		try {
			routes.add(route);
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), ex.getMessage(), ex);
		}
		return Outcomes.ok(this.context, this.spec.commandLine().getOut(),
				"Added " + route.describe() + " -> " + route.destination());
	}

}
