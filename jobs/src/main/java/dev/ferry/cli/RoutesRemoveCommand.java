package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.routes.Route;
import dev.ferry.routes.RouteTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "remove", mixinStandardHelpOptions = true, sortOptions = false, description = {
		"Removes a route from ferry_route. The record of its transfers (ferry_route_transfer)" + " stays." })
class RoutesRemoveCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--source-bucket", required = true, paramLabel = "<bucket>", description = "The route's bucket.")
	String sourceBucket;

	@Option(names = "--source-prefix", paramLabel = "<prefix>", defaultValue = "",
			description = "The route's prefix (a '/' is added at the end).")
	String sourcePrefix;

	@Option(names = "--pipeline", required = true, paramLabel = "<name>", description = "The route's pipeline name.")
	String pipeline;

	private final CliContext context;

	RoutesRemoveCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		String prefix;
		try {
			// as 'add' stores it, so that a prefix given without its '/' matches
			prefix = Route.prefix(this.sourcePrefix, "the source prefix");
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), ex.getMessage(), ex);
		}
		String route = "route '" + this.pipeline + "' (s3://" + this.sourceBucket + "/" + prefix + ")";
		if (!this.context.bean(RouteTable.class).remove(this.sourceBucket, prefix, this.pipeline)) {
			throw new CommandLine.ParameterException(this.spec.commandLine(),
					"There is no " + route + "; 'ferry routes list' shows the routes");
		}
		return Outcomes.ok(this.context, this.spec.commandLine().getOut(), "Removed " + route);
	}

}
