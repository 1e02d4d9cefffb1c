package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.run.ExecutionControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stop", mixinStandardHelpOptions = true,
		description = { "Asks a running execution to stop at its next chunk boundary, wherever it runs.",
				"It ends STOPPED and can be restarted." })
class StopCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "<executionId>", description = "The running execution.")
	long executionId;

	private final CliContext context;

	StopCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		return Outcomes.report(this.context, this.spec,
				this.context.bean(ExecutionControl.class).stop(this.executionId));
	}

}
