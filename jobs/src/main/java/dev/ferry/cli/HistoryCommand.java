package dev.ferry.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.history.HistoryQueries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Lists job executions, newest first, as psql prints the view ferry_job_history.",
				"stale = t: marked running, but no process holds its run lock (its pod was killed)." })
class HistoryCommand implements Callable<Integer> {

	private static final Set<String> STATUSES = Set.of("STARTING", "STARTED", "STOPPING", "STOPPED", "FAILED",
			"COMPLETED", "ABANDONED", "UNKNOWN", "STALE");

	private static final Pattern AGO = Pattern.compile("(\\d+)([mhd])");

	@Spec
	CommandSpec spec;

	@Option(names = "--job", paramLabel = "<job>", description = "Only this job.")
	String job;

	@Option(names = "--status", paramLabel = "<status>",
			description = "Only this status: COMPLETED, FAILED, STOPPED, STARTED, ABANDONED, ... or STALE.")
	String status;

	@Option(names = "--since", paramLabel = "<when>",
			description = "Only executions started since: a date (2026-11-01), a date-time (2026-11-01T06:00)"
					+ " or a time ago (90m, 12h, 7d).")
	String since;

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
		LocalDateTime sinceTime = (this.since != null) ? parseSince(this.since) : null;
		String table = this.context.bean(HistoryQueries.class)
			.jobExecutions(this.job, statusFilter, sinceTime, this.limit)
			.render();
		this.spec.commandLine().getOut().print(table);
		this.spec.commandLine().getOut().flush();
		return 0;
	}

	private LocalDateTime parseSince(String value) {
		Matcher ago = AGO.matcher(value);
		if (ago.matches()) {
			long amount = Long.parseLong(ago.group(1));
			Duration duration = switch (ago.group(2)) {
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
			// Spring Batch stores local times of the JVM that ran the job
			return LocalDateTime.now().minus(duration);
		}
		try {
			return value.contains("T") ? LocalDateTime.parse(value) : LocalDate.parse(value).atStartOfDay();
		}
		catch (DateTimeParseException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(),
					"--since '" + value + "' is neither a date (2026-11-01), a date-time (2026-11-01T06:00) nor a"
							+ " time ago (90m, 12h, 7d)");
		}
	}

}
