package dev.ferry.run;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * What an operator does to an execution by hand, from any pod: {@code ferry recover},
 * {@code ferry abandon} and {@code ferry stop}. Recovering and abandoning take the run
 * lock of the execution's job instance, so they never touch an execution that a live
 * process runs.
 * <p>
 * Thread-safe.
 */
public class ExecutionControl {

	private static final Logger logger = LoggerFactory.getLogger(ExecutionControl.class);

	private final LockedExecutions executions;

	private final ExecutionStates states;

	private final List<AbandonCleanup> cleanups;

	public ExecutionControl(LockedExecutions executions, ExecutionStates states, List<AbandonCleanup> cleanups) {
		this.executions = executions;
		this.states = states;
		this.cleanups = List.copyOf(cleanups);
	}

	/**
	 * Marks an execution that no process runs any more FAILED so that it can be
	 * restarted: one whose process was killed (it is marked running), or one that ended
	 * UNKNOWN. Refuses while a live process holds its run lock.
	 */
	public RunOutcome recover(long executionId) {
		JobExecution execution = this.executions.find(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		if (!ExecutionStates.needsRecovery(execution)) {
			return new RunOutcome(ExitCode.OK, "Execution " + executionId + " of job '" + jobName + "' is "
					+ execution.getStatus() + ", not running or UNKNOWN: nothing to recover", execution);
		}
		return this.executions.underRunLock(execution,
				"Execution " + executionId + " of job '" + jobName
						+ "' is running in a live process, which holds its run lock: stop it with 'ferry stop "
						+ executionId + "' instead",
				(locked, held) -> {
					if (!ExecutionStates.needsRecovery(locked)) {
						return new RunOutcome(ExitCode.OK, "Execution " + executionId + " of job '" + jobName + "' is "
								+ locked.getStatus() + ": nothing to recover", locked);
					}
					JobExecution recovered = this.states.recover(locked, RunOutcomes.leftBehind(locked));
					String next = (this.executions.refuseIfNotNewest(recovered) == null)
							? "; resume it with 'ferry restart " + executionId + "'" : "";
					return new RunOutcome(ExitCode.OK,
							"Execution " + executionId + " of job '" + jobName + "' is now FAILED" + next, recovered);
				});
	}

	/**
	 * Gives up a failed or stopped execution for good: cleans up what its job left behind
	 * (see {@link AbandonCleanup}), then marks it ABANDONED, after which its job instance
	 * can never run again. An execution that no process runs any more (killed, or
	 * UNKNOWN) is recovered first.
	 */
	public RunOutcome abandon(long executionId) {
		JobExecution execution = this.executions.find(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		return this.executions.underRunLock(execution,
				"Execution " + executionId + " of job '" + jobName
						+ "' is running in a live process: stop it with 'ferry stop " + executionId + "' first",
				(locked, held) -> {
					RunOutcome notNewest = this.executions.refuseIfNotNewest(locked);
					if (notNewest != null) {
						return notNewest;
					}
					JobExecution current = ExecutionStates.needsRecovery(locked)
							? this.states.recover(locked, RunOutcomes.leftBehind(locked)) : locked;
					if (current.getStatus() == BatchStatus.ABANDONED) {
						return new RunOutcome(ExitCode.OK, "Execution " + executionId + " is already ABANDONED",
								current);
					}
					if (current.getStatus() == BatchStatus.COMPLETED) {
						return new RunOutcome(ExitCode.NOT_RESTARTABLE, "Execution " + executionId + " of job '"
								+ jobName + "' COMPLETED: there is nothing to abandon", current);
					}
					List<String> cleaned = new ArrayList<>();
					for (AbandonCleanup cleanup : this.cleanups) {
						if (cleanup.jobName().equals(jobName)) {
							cleaned.addAll(cleanup.cleanUp(current));
						}
					}
					cleaned.forEach(line -> logger.info("Abandoning execution {}: {}", executionId, line));
					JobExecution abandoned = this.states.abandon(current);
					return new RunOutcome(ExitCode.OK,
							"Execution " + executionId + " of job '" + jobName + "' is " + abandoned.getStatus() + " ("
									+ (cleaned.isEmpty() ? "nothing to clean up" : String.join("; ", cleaned))
									+ "); its parameters cannot run again",
							abandoned);
				});
	}

	/**
	 * Asks a running execution to stop at its next chunk boundary. The process that runs
	 * it (this one, or another pod) sees the request when it next saves its progress.
	 */
	public RunOutcome stop(long executionId) {
		JobExecution execution = this.executions.find(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		if (!execution.getStatus().isRunning()) {
			return new RunOutcome(ExitCode.NOT_RESTARTABLE, "Execution " + executionId + " of job '" + jobName + "' is "
					+ execution.getStatus() + ", not running: nothing to stop", execution);
		}
		if (!this.executions.isLocked(execution)) {
			return new RunOutcome(ExitCode.NOT_RESTARTABLE,
					"Execution " + executionId + " of job '" + jobName
							+ "' is stale: no process runs it. Recover it with 'ferry recover " + executionId
							+ "', or run the job again with the same parameters",
					execution);
		}
		this.states.requestStop(execution);
		return new RunOutcome(ExitCode.OK, "Asked execution " + executionId + " of job '" + jobName
				+ "' to stop; it stops at its next chunk boundary and can be restarted", execution);
	}

}
