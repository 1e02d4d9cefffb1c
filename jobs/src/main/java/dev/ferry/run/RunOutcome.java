package dev.ferry.run;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.JobExecution;

/**
 * What a command did: the exit code, one line for the operator, and the execution it ran
 * or touched, if any.
 */
public record RunOutcome(ExitCode exitCode, String message, @Nullable JobExecution execution) {

	public static RunOutcome of(ExitCode exitCode, String message) {
		return new RunOutcome(exitCode, message, null);
	}

}
