package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.run.ExecutionControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "abandon", mixinStandardHelpOptions = true,
		description = { "Gives up a failed or stopped execution for good: cleans up what it left behind",
				"(table-dump: aborts its multipart uploads) and marks it ABANDONED.",
				"Its job parameters can never run again; use this when the run will not be resumed." })
class AbandonCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "<executionId>", description = "The failed or stopped execution.")
	long executionId;

	private final CliContext context;

	AbandonCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		return Outcomes.report(this.context, this.spec,
				this.context.bean(ExecutionControl.class).abandon(this.executionId));
	}

}
