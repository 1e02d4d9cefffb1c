package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.routes.RouteTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
		description = "Lists every route, as psql prints 'SELECT ... FROM ferry_route'.")
class RoutesListCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	private final CliContext context;

	RoutesListCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		this.spec.commandLine().getOut().print(this.context.bean(RouteTable.class).listing().render());
		this.spec.commandLine().getOut().flush();
		return 0;
	}

}
