package dev.ferry.run;

import java.util.Optional;
import java.util.function.BiFunction;

import dev.ferry.common.guard.RunGuard;
import dev.ferry.common.guard.RunLock;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Finds executions by id and acts on them under the run lock of their job instance: what
 * {@code restart}, {@code recover}, {@code abandon} and {@code stop} share.
 * <p>
 * Thread-safe.
 */
public class LockedExecutions {

	private final RunGuard runGuard;

	private final JobRepository jobRepository;

	private final DefaultJobKeyGenerator jobKeyGenerator = new DefaultJobKeyGenerator();

	public LockedExecutions(RunGuard runGuard, JobRepository jobRepository) {
		this.runGuard = runGuard;
		this.jobRepository = jobRepository;
	}

	/** The execution with this id, or null; Spring Batch 6 throws for an unknown id. */
	@Nullable JobExecution find(long executionId) {
		try {
			return this.jobRepository.getJobExecution(executionId);
		}
		catch (EmptyResultDataAccessException ex) {
			return null;
		}
	}

	/** Takes the run lock of a job instance, if nobody holds it. */
	Optional<RunLock> tryLock(String jobName, JobParameters parameters) {
		return this.runGuard.tryAcquire(jobName, this.jobKeyGenerator.generateKey(parameters));
	}

	/** Whether some process holds the run lock of the execution's job instance. */
	boolean isLocked(JobExecution execution) {
		return this.runGuard.isHeld(execution.getJobInstance().getJobName(),
				this.jobKeyGenerator.generateKey(execution.getJobParameters()));
	}

	/**
	 * Runs an action on an execution while holding the run lock of its job instance, or
	 * refuses with {@code busy} when a live process holds it. The action gets the
	 * execution as read under the lock.
	 */
	RunOutcome underRunLock(JobExecution execution, String busy, BiFunction<JobExecution, RunLock, RunOutcome> action) {
		Optional<RunLock> lock = tryLock(execution.getJobInstance().getJobName(), execution.getJobParameters());
		if (lock.isEmpty()) {
			return new RunOutcome(ExitCode.ALREADY_RUNNING, busy, execution);
		}
		try (RunLock held = lock.get()) {
			// read again: it may have changed between the first read and the lock
			JobExecution locked = find(execution.getId());
			return action.apply((locked != null) ? locked : execution, held);
		}
	}

	/**
	 * Refuses an execution that is not the newest of its job instance (only the newest
	 * can be restarted or abandoned), or null when it is the newest.
	 */
	@Nullable RunOutcome refuseIfNotNewest(JobExecution execution) {
		JobExecution newest = this.jobRepository.getLastJobExecution(execution.getJobInstance());
		if (newest == null || newest.getId() == execution.getId()) {
			return null;
		}
		return new RunOutcome(ExitCode.NOT_RESTARTABLE,
				"Execution " + execution.getId() + " is not the newest of its job instance: execution " + newest.getId()
						+ " is (" + newest.getStatus() + ")",
				newest);
	}

}
