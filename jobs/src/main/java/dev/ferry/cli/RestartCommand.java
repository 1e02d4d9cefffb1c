package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.common.crypto.NativeCrypto;
import dev.ferry.history.HistoryQueries;
import dev.ferry.run.ExitCode;
import dev.ferry.run.JobRunner;
import dev.ferry.run.RunOutcome;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restart", mixinStandardHelpOptions = true,
		description = { "Restarts a failed, stopped, stale or UNKNOWN execution from where it stopped.",
				"A stale execution (marked running, but its process is gone) or an UNKNOWN one is recovered first." })
class RestartCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@ArgGroup(exclusive = true, multiplicity = "1")
	Target target;

	static class Target {

		@Parameters(paramLabel = "<executionId>", description = "The execution to restart.")
		Long executionId;

		@Option(names = "--last-failed", paramLabel = "<job>",
				description = "Restart the newest restartable execution of this job.")
		String lastFailedJob;

	}

	private final CliContext context;

	RestartCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		// the native crypto provider loads while Spring starts; the job awaits it
		NativeCrypto.start();
		Long executionId = this.target.executionId;
		if (executionId == null) {
			executionId = this.context.bean(HistoryQueries.class).lastRestartable(this.target.lastFailedJob);
			if (executionId == null) {
				return Outcomes.report(this.context, this.spec, RunOutcome.of(ExitCode.OK, "Job '"
						+ this.target.lastFailedJob + "' has no failed, stopped or stale execution to restart"));
			}
		}
		return Outcomes.report(this.context, this.spec, this.context.bean(JobRunner.class).restart(executionId));
	}

}
