package dev.ferry.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

import dev.ferry.common.guard.RunGuard;
import dev.ferry.common.guard.RunLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;

/**
 * Runs, restarts, recovers and stops job executions under the run guard.
 * <ul>
 * <li>A launch first takes the run lock of its job instance; without it the launch exits
 * "already running" and touches nothing.</li>
 * <li>Holding the lock, an execution still marked running is certainly stale (its process
 * was killed, or it would hold the lock): it is recovered ({@link JobOperator#recover},
 * which marks it FAILED) and then resumed like any failed execution.</li>
 * <li>Jobs run synchronously in the calling thread; SIGTERM asks them to stop at the next
 * chunk boundary (see {@link TermSignalStopper}), and so does losing the run lock's
 * database session (see {@link RunLockWatch}).</li>
 * </ul>
 * Thread-safe: each call works on its own execution.
 */
public class JobRunner {

	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	private final Map<String, Job> jobs = new TreeMap<>();

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final RunGuard runGuard;

	private final List<AbandonCleanup> cleanups;

	private final Duration lockCheckInterval;

	private final DefaultJobKeyGenerator jobKeyGenerator = new DefaultJobKeyGenerator();

	/**
	 * @param lockCheckInterval how often a running job checks that the session holding
	 * its run lock is alive (see {@link RunLockWatch})
	 */
	public JobRunner(List<Job> jobs, JobOperator jobOperator, JobRepository jobRepository, RunGuard runGuard,
			List<AbandonCleanup> cleanups, Duration lockCheckInterval) {
		jobs.forEach(job -> this.jobs.put(job.getName(), job));
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.runGuard = runGuard;
		this.cleanups = List.copyOf(cleanups);
		this.lockCheckInterval = lockCheckInterval;
	}

	/** The names of the jobs this Ferry knows, sorted. */
	public List<String> jobNames() {
		return List.copyOf(this.jobs.keySet());
	}

	public Optional<Job> job(String name) {
		return Optional.ofNullable(this.jobs.get(name));
	}

	/**
	 * Runs the instance of a job that the identifying parameters name: starts it, resumes
	 * it after a failure or a stop, or recovers and resumes it when its process was
	 * killed.
	 */
	public RunOutcome run(Job job, JobParameters parameters) {
		String jobName = job.getName();
		try {
			// before the lock and the repository: wrong parameters are a usage error, not
			// a failed run
			job.getJobParametersValidator().validate(parameters);
		}
		catch (InvalidJobParametersException ex) {
			return RunOutcome.of(ExitCode.USAGE, "Invalid parameters for job '" + jobName + "': " + ex.getMessage());
		}
		String jobKey = this.jobKeyGenerator.generateKey(parameters);
		Optional<RunLock> lock = this.runGuard.tryAcquire(jobName, jobKey);
		if (lock.isEmpty()) {
			return RunOutcome.of(ExitCode.ALREADY_RUNNING, "Job '" + jobName + "' (" + describe(parameters)
					+ ") is already running in another process, which holds its run lock; nothing was touched");
		}
		try (RunLock held = lock.get()) {
			JobInstance instance = this.jobRepository.getJobInstance(jobName, parameters);
			JobExecution last = (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
			if (last != null) {
				if (last.getStatus().isRunning()) {
					recoverStale(last);
				}
				else if (last.getStatus() == BatchStatus.COMPLETED) {
					return new RunOutcome(ExitCode.OK, "Job '" + jobName + "' (" + describe(parameters)
							+ ") already completed in execution " + last.getId() + "; nothing to do", last);
				}
				else if (last.getStatus() == BatchStatus.ABANDONED) {
					return new RunOutcome(ExitCode.NOT_RESTARTABLE, "Job '" + jobName + "' (" + describe(parameters)
							+ ") was abandoned in execution " + last.getId() + " and cannot run again", last);
				}
				logger.info("Resuming job '{}' ({}) after execution {} ended {}", jobName, describe(parameters),
						last.getId(), last.getStatus());
			}
			return execute(held, jobName, parameters, () -> this.jobOperator.start(job, parameters));
		}
	}

	/** Restarts a failed, stopped or stale execution from where it stopped. */
	public RunOutcome restart(long executionId) {
		JobExecution execution = findExecution(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		if (!this.jobs.containsKey(jobName)) {
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE,
					"Execution " + executionId + " belongs to job '" + jobName + "', which this Ferry does not have");
		}
		return underRunLock(execution,
				"Job '" + jobName + "' of execution " + executionId
						+ " is running in another process, which holds its run lock; nothing was touched",
				(locked, held) -> {
					JobExecution newer = newerExecution(locked);
					if (newer != null) {
						return notNewest(locked, newer);
					}
					JobExecution current = locked.getStatus().isRunning() ? recoverStale(locked) : locked;
					if (current.getStatus() == BatchStatus.COMPLETED || current.getStatus() == BatchStatus.ABANDONED) {
						return new RunOutcome(ExitCode.NOT_RESTARTABLE, "Execution " + executionId + " of job '"
								+ jobName + "' is " + current.getStatus() + " and cannot be restarted", current);
					}
					logger.info("Restarting execution {} of job '{}' ({}), which ended {}", executionId, jobName,
							describe(current.getJobParameters()), current.getStatus());
					return execute(held, jobName, current.getJobParameters(), () -> this.jobOperator.restart(current));
				});
	}

	/**
	 * Marks an execution whose process is gone as FAILED so that it can be restarted.
	 * Refuses while a live process holds its run lock.
	 */
	public RunOutcome recover(long executionId) {
		JobExecution execution = findExecution(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		if (!execution.getStatus().isRunning()) {
			return new RunOutcome(ExitCode.OK, "Execution " + executionId + " of job '" + jobName + "' is "
					+ execution.getStatus() + ", not running: nothing to recover", execution);
		}
		return underRunLock(execution,
				"Execution " + executionId + " of job '" + jobName
						+ "' is running in a live process, which holds its run lock: stop it with 'ferry stop "
						+ executionId + "' instead",
				(locked, held) -> new RunOutcome(ExitCode.OK,
						"Execution " + executionId + " of job '" + jobName
								+ "' is now FAILED; resume it with 'ferry restart " + executionId + "'",
						recoverStale(locked)));
	}

	/**
	 * Gives up a failed or stopped execution for good: cleans up what its job left behind
	 * (see {@link AbandonCleanup}), then marks it ABANDONED, after which its job instance
	 * can never run again. An execution whose process was killed is recovered first.
	 */
	public RunOutcome abandon(long executionId) {
		JobExecution execution = findExecution(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		return underRunLock(execution,
				"Execution " + executionId + " of job '" + jobName
						+ "' is running in a live process: stop it with 'ferry stop " + executionId + "' first",
				(locked, held) -> {
					JobExecution newer = newerExecution(locked);
					if (newer != null) {
						return notNewest(locked, newer);
					}
					JobExecution current = locked.getStatus().isRunning() ? recoverStale(locked) : locked;
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
					return new RunOutcome(ExitCode.OK,
							"Execution " + executionId + " of job '" + jobName + "' is ABANDONED ("
									+ (cleaned.isEmpty() ? "nothing to clean up" : String.join("; ", cleaned))
									+ "); its parameters cannot run again",
							abandonNow(current));
				});
	}

	/**
	 * Runs an action on an execution while holding the run lock of its job instance, or
	 * refuses with {@code busy} when a live process holds it.
	 */
	private RunOutcome underRunLock(JobExecution execution, String busy,
			BiFunction<JobExecution, RunLock, RunOutcome> action) {
		String jobName = execution.getJobInstance().getJobName();
		String jobKey = this.jobKeyGenerator.generateKey(execution.getJobParameters());
		Optional<RunLock> lock = this.runGuard.tryAcquire(jobName, jobKey);
		if (lock.isEmpty()) {
			return new RunOutcome(ExitCode.ALREADY_RUNNING, busy, execution);
		}
		try (RunLock held = lock.get()) {
			return action.apply(execution, held);
		}
	}

	/** The newest execution of the same job instance, when that is not this one. */
	private @Nullable JobExecution newerExecution(JobExecution execution) {
		JobExecution last = this.jobRepository.getLastJobExecution(execution.getJobInstance());
		return (last != null && last.getId() != execution.getId()) ? last : null;
	}

	private static RunOutcome notNewest(JobExecution execution, JobExecution newest) {
		return new RunOutcome(ExitCode.NOT_RESTARTABLE,
				"Execution " + execution.getId() + " is not the newest of its job instance: execution " + newest.getId()
						+ " is (" + newest.getStatus() + ")",
				newest);
	}

	private JobExecution abandonNow(JobExecution execution) {
		try {
			return this.jobOperator.abandon(execution);
		}
		catch (JobExecutionAlreadyRunningException ex) {
			// we hold the run lock and recovered it: nothing can be running it
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Asks a running execution to stop at its next chunk boundary. The process that runs
	 * it (this one, or another pod) sees the request when it next saves its progress.
	 */
	public RunOutcome stop(long executionId) {
		JobExecution execution = findExecution(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		if (!execution.getStatus().isRunning()) {
			return new RunOutcome(ExitCode.NOT_RESTARTABLE, "Execution " + executionId + " of job '" + jobName + "' is "
					+ execution.getStatus() + ", not running: nothing to stop", execution);
		}
		String jobKey = this.jobKeyGenerator.generateKey(execution.getJobParameters());
		if (!this.runGuard.isHeld(jobName, jobKey)) {
			return new RunOutcome(ExitCode.NOT_RESTARTABLE,
					"Execution " + executionId + " of job '" + jobName
							+ "' is stale: no process runs it. Recover it with 'ferry recover " + executionId
							+ "', or run the job again with the same parameters",
					execution);
		}
		requestStop(execution);
		return new RunOutcome(ExitCode.OK, "Asked execution " + executionId + " of job '" + jobName
				+ "' to stop; it stops at its next chunk boundary and can be restarted", execution);
	}

	/**
	 * Asks the running execution of an instance to stop, for a SIGTERM received by this
	 * process.
	 */
	void stopRunning(String jobName, JobParameters parameters) {
		JobExecution running = this.jobRepository.getLastJobExecution(jobName, parameters);
		if (running == null || !running.getStatus().isRunning()) {
			logger.warn("Nothing to stop: job '{}' ({}) has no running execution yet", jobName, describe(parameters));
			return;
		}
		requestStop(running);
		logger.info("Stopping execution {} of job '{}' at its next chunk boundary; it will end STOPPED and can be"
				+ " restarted", running.getId(), jobName);
	}

	/**
	 * Marks an execution STOPPING in the repository. The process that runs it sees the
	 * status the next time it saves a chunk, and stops there. Not
	 * {@link JobOperator#stop}: that also writes the step executions it loaded, execution
	 * contexts included, over those of the running step, which then restarts from a stale
	 * checkpoint.
	 */
	private void requestStop(JobExecution execution) {
		execution.setStatus(BatchStatus.STOPPING);
		this.jobRepository.update(execution);
	}

	/** The execution with this id, or null; Spring Batch 6 throws for an unknown id. */
	private @Nullable JobExecution findExecution(long executionId) {
		try {
			return this.jobRepository.getJobExecution(executionId);
		}
		catch (EmptyResultDataAccessException ex) {
			return null;
		}
	}

	private JobExecution recoverStale(JobExecution execution) {
		logger.warn(
				"Execution {} of job '{}' is marked {} but no process holds its run lock: the process that ran it"
						+ " was killed. Marking it FAILED so that it can resume.",
				execution.getId(), execution.getJobInstance().getJobName(), execution.getStatus());
		return this.jobOperator.recover(execution);
	}

	private RunOutcome execute(RunLock lock, String jobName, JobParameters parameters, Launch launch) {
		JobExecution execution;
		Runnable stop = () -> stopRunning(jobName, parameters);
		try (TermSignalStopper stopper = TermSignalStopper.install(stop);
				RunLockWatch watch = RunLockWatch.start(lock, this.lockCheckInterval, stop)) {
			execution = launch.launch();
		}
		catch (InvalidJobParametersException ex) {
			return RunOutcome.of(ExitCode.USAGE, "Invalid parameters for job '" + jobName + "': " + ex.getMessage());
		}
		catch (JobExecutionAlreadyRunningException ex) {
			return RunOutcome.of(ExitCode.ALREADY_RUNNING, ex.getMessage());
		}
		catch (JobInstanceAlreadyCompleteException | JobRestartException ex) {
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE, ex.getMessage());
		}
		return outcomeOf(execution);
	}

	static RunOutcome outcomeOf(JobExecution execution) {
		String jobName = execution.getJobInstance().getJobName();
		String summary = "Job '" + jobName + "' execution " + execution.getId() + " ended " + execution.getStatus()
				+ " (exit code " + execution.getExitStatus().getExitCode() + ")";
		return switch (execution.getStatus()) {
			case COMPLETED -> new RunOutcome(ExitCode.OK, summary, execution);
			case STOPPED, STOPPING -> new RunOutcome(ExitCode.STOPPED,
					summary + "; resume it with 'ferry restart " + execution.getId() + "'", execution);
			default -> new RunOutcome(ExitCode.FAILED, summary + "; see 'ferry show " + execution.getId()
					+ "', then resume it with 'ferry restart " + execution.getId() + "'", execution);
		};
	}

	static String describe(JobParameters parameters) {
		StringBuilder text = new StringBuilder();
		parameters.parameters()
			.stream()
			.filter(p -> p.identifying())
			.sorted((a, b) -> a.name().compareTo(b.name()))
			.forEach(p -> text.append(text.isEmpty() ? "" : ", ").append(p.name()).append('=').append(p.value()));
		return text.toString();
	}

	/** A start or a restart. */
	@FunctionalInterface
	private interface Launch {

		JobExecution launch() throws JobExecutionAlreadyRunningException, JobRestartException,
				JobInstanceAlreadyCompleteException, InvalidJobParametersException;

	}

}
