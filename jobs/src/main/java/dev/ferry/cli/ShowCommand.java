package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import dev.ferry.history.HistoryQueries;
import dev.ferry.history.PsqlTable;
import dev.ferry.run.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
		description = { "Shows one execution: its row of ferry_job_history, its steps (ferry_step_history) with counts"
				+ " and exit messages, and the root cause of a failure." })
class ShowCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "<executionId>", description = "The execution to show.")
	long executionId;

	@Option(names = "--full", description = "Also print the full exit message (the stack trace Spring Batch kept).")
	boolean full;

	private final CliContext context;

	ShowCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		HistoryQueries queries = this.context.bean(HistoryQueries.class);
		PrintWriter out = this.spec.commandLine().getOut();
		PsqlTable execution = queries.jobExecution(this.executionId);
		if (execution.rowCount() == 0) {
			this.spec.commandLine().getErr().println("ferry: there is no job execution " + this.executionId);
			this.spec.commandLine().getErr().flush();
			return ExitCode.USAGE.code();
		}
		out.println("Execution " + this.executionId + ":");
		out.print(execution.render());
		out.println("Steps:");
		out.print(queries.stepExecutions(this.executionId).render());
		List<String[]> causes = queries.rootCauses(this.executionId);
		if (!causes.isEmpty()) {
			out.println("Root cause:");
			for (String[] cause : causes) {
				out.println("  " + (cause[0].isEmpty() ? "job" : "step '" + cause[0] + "'") + ": " + cause[1]);
			}
		}
		if (this.full) {
			String message = queries.exitMessage(this.executionId);
			out.println("Exit message:");
			out.println((message != null) ? message : "");
		}
		out.flush();
		return 0;
	}

}
