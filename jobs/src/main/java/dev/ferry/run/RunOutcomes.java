package dev.ferry.run;

import java.util.Optional;

import dev.ferry.common.fatal.WorkerError;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * What the operator is told about a run: each message names a next step that works (a
 * command Ferry would refuse is never suggested).
 */
final class RunOutcomes {

	private RunOutcomes() {
	}

	/** The outcome of an execution that ended. */
	static RunOutcome of(JobExecution execution, Optional<WorkerError> workerError) {
		String summary = summary(execution);
		long id = execution.getId();
		return switch (execution.getStatus()) {
			case COMPLETED -> new RunOutcome(ExitCode.OK,
					summary + workerError.map(error -> " (" + error.describe() + ")").orElse(""), execution);
			case STOPPED, STOPPING ->
				new RunOutcome(ExitCode.STOPPED, summary + "; resume it with 'ferry restart " + id + "'", execution);
			// restart and run recover an UNKNOWN execution first (see ExecutionStates)
			case UNKNOWN -> new RunOutcome(ExitCode.FAILED, summary
					+ ": a write to the job repository database failed under it (a database restart or a dropped"
					+ " connection), so it could not record how it ended. It resumes from its last committed"
					+ " checkpoint: run the same command again, or 'ferry restart " + id + "'", execution);
			default -> workerError.isPresent() ? failedByWorkerError(execution, workerError.get())
					: new RunOutcome(ExitCode.FAILED,
							summary + "; see 'ferry show " + id + "', then resume it with 'ferry restart " + id + "'",
							execution);
		};
	}

	/** A run that failed because of an Error in one of its worker threads. */
	static RunOutcome failedByWorkerError(JobExecution execution, WorkerError workerError) {
		return new RunOutcome(ExitCode.FAILED, summary(execution) + ": " + workerError.describe()
				+ " Then resume it with 'ferry restart " + execution.getId() + "' (or run the same command again)",
				execution);
	}

	private static String summary(JobExecution execution) {
		return "Job '" + execution.getJobInstance().getJobName() + "' execution " + execution.getId() + " ended "
				+ execution.getStatus() + " (exit code " + execution.getExitStatus().getExitCode() + ")";
	}

	/** Why an execution that no process runs is recovered, for its exit message. */
	static String leftBehind(JobExecution execution) {
		boolean unknown = execution.getStatus() == BatchStatus.UNKNOWN
				|| execution.getStepExecutions().stream().anyMatch(step -> step.getStatus() == BatchStatus.UNKNOWN);
		if (unknown) {
			return "it ended UNKNOWN (a write to the job repository database failed under it) and no process holds"
					+ " its run lock";
		}
		return "it is marked " + execution.getStatus() + " but no process holds its run lock: the process that ran"
				+ " it was killed";
	}

	/** The identifying parameters, for messages: {@code runDate=2026-11-23, tables=t}. */
	static String describe(JobParameters parameters) {
		StringBuilder text = new StringBuilder();
		parameters.parameters()
			.stream()
			.filter(p -> p.identifying())
			.sorted((a, b) -> a.name().compareTo(b.name()))
			.forEach(p -> text.append(text.isEmpty() ? "" : ", ").append(p.name()).append('=').append(p.value()));
		return text.toString();
	}

}
