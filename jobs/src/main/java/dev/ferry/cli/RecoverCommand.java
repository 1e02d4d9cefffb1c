package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.run.ExecutionControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "recover", mixinStandardHelpOptions = true,
		description = {
				"Marks an execution that no process runs any more as FAILED, so that it can be restarted: one whose"
						+ " process was killed, or one that ended UNKNOWN (a job repository write failed under it).",
				"Refused while a live process runs it. 'ferry run' and 'ferry restart' do this by themselves." })
class RecoverCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "<executionId>", description = "The stale or UNKNOWN execution.")
	long executionId;

	private final CliContext context;

	RecoverCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		return Outcomes.report(this.context, this.spec,
				this.context.bean(ExecutionControl.class).recover(this.executionId));
	}

}
