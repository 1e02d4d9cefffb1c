package dev.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "routes", mixinStandardHelpOptions = true,
		description = { "Lists, adds and removes the routes of routed egress (the table ferry_route).",
				"A pipeline_success.flag under a route's source prefix makes the s3Egress job send that prefix"
						+ " to the route's destination once." },
		subcommands = { RoutesListCommand.class, RoutesAddCommand.class, RoutesRemoveCommand.class })
class RoutesCommand implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(),
				"Missing subcommand: list, add or remove (see 'ferry routes --help')");
	}

}
