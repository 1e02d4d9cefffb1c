package dev.ferry.cli;

import java.io.PrintWriter;

import dev.ferry.run.ExitCode;
import dev.ferry.run.RunOutcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import picocli.CommandLine.Model.CommandSpec;

import org.springframework.batch.core.job.JobExecution;

/**
 * Tells the user what a command did. With plain logs: one line, on stdout when it went
 * well and on stderr (prefixed {@code ferry: }) when it did not. With JSON logs
 * ({@code logging.structured.format.console}): a log event instead, with the exit code,
 * job, execution id and status as fields, so that a log collector gets nothing but JSON
 * and can alert on the outcome.
 */
final class Outcomes {

	private static final Logger logger = LoggerFactory.getLogger(Outcomes.class);

	private Outcomes() {
	}

	static int report(CliContext context, CommandSpec spec, RunOutcome outcome) {
		PrintWriter writer = (outcome.exitCode() == ExitCode.OK) ? spec.commandLine().getOut()
				: spec.commandLine().getErr();
		report(context, writer, outcome.exitCode(), outcome.message(), outcome.execution());
		return outcome.exitCode().code();
	}

	/** A command that did what it was asked, without a job execution to report. */
	static int ok(CliContext context, PrintWriter out, String message) {
		report(context, out, ExitCode.OK, message, null);
		return ExitCode.OK.code();
	}

	/** A command that failed, or could not run: bad usage or configuration. */
	static int error(CliContext context, PrintWriter err, ExitCode exitCode, String message) {
		report(context, err, exitCode, message, null);
		return exitCode.code();
	}

	private static void report(CliContext context, PrintWriter writer, ExitCode exitCode, String message,
			@Nullable JobExecution execution) {
		if (context.logsStructured()) {
			LoggingEventBuilder event = logger.atLevel(level(exitCode))
				.addKeyValue("ferry.exit_code", exitCode.code())
				.addKeyValue("ferry.outcome", exitCode.name());
			if (execution != null) {
				event = event.addKeyValue("ferry.job", execution.getJobInstance().getJobName())
					.addKeyValue("ferry.execution_id", execution.getId())
					.addKeyValue("ferry.status", execution.getStatus().name());
			}
			event.log(message);
			return;
		}
		writer.println((exitCode == ExitCode.OK) ? message : "ferry: " + message);
		writer.flush();
	}

	private static Level level(ExitCode exitCode) {
		return switch (exitCode) {
			case OK -> Level.INFO;
			case STOPPED, ALREADY_RUNNING, NOT_RESTARTABLE -> Level.WARN;
			case FAILED, USAGE, CONFIGURATION -> Level.ERROR;
		};
	}

}
