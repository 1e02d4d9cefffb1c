package dev.ferry.cli;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.ferry.history.HistoryQueries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Lists job executions, newest first, as psql prints the view ferry_job_history.",
				"stale = t: marked running, but no process holds its run lock (its pod was killed).",
				"The pods of one Indexed Job run (same parameters but part=) and their reruns are listed together." })
class HistoryCommand implements Callable<Integer> {

	private static final Set<String> STATUSES = Set.of("STARTING", "STARTED", "STOPPING", "STOPPED", "FAILED",
			"COMPLETED", "ABANDONED", "UNKNOWN", "STALE");

	@Spec
	CommandSpec spec;

	@Option(names = "--job", paramLabel = "<job>", description = "Only this job.")
	String job;

	@Option(names = "--status", paramLabel = "<status>",
			description = "Only this status: COMPLETED, FAILED, STOPPED, STARTED, ABANDONED, ... or STALE.")
	String status;

	@Option(names = "--since", paramLabel = "<when>", converter = SinceConverter.class,
			description = "Only executions started since: " + SinceConverter.FORMS + ".")
	LocalDateTime since;

	@Option(names = "--limit", paramLabel = "<n>", defaultValue = "20",
			description = "At most this many rows (default: ${DEFAULT-VALUE}).")
	int limit;

	private final CliContext context;

	HistoryCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		String statusFilter = (this.status != null) ? this.status.toUpperCase(Locale.ROOT) : null;
		if (statusFilter != null && !STATUSES.contains(statusFilter)) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), "Unknown status '" + this.status
					+ "'; one of " + String.join(", ", STATUSES.stream().sorted().toList()));
		}
		if (this.limit < 1) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), "--limit must be at least 1");
		}
		String table = this.context.bean(HistoryQueries.class)
			.jobExecutions(this.job, statusFilter, this.since, this.limit)
			.render();
		this.spec.commandLine().getOut().print(table);
		this.spec.commandLine().getOut().flush();
		return 0;
	}

}
