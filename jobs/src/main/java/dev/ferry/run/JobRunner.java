package dev.ferry.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.ferry.common.crypto.NativeCrypto;
import dev.ferry.common.fatal.WorkerErrors;
import dev.ferry.common.guard.RunLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Runs and restarts job executions under the run guard.
 * <ul>
 * <li>A launch first takes the run lock of its job instance; without it the launch exits
 * "already running" and touches nothing.</li>
 * <li>Holding the lock, an execution still marked running, or UNKNOWN, is certainly left
 * behind (its process was killed or lost its repository connection, or it would hold the
 * lock): it is recovered (marked FAILED, see {@link ExecutionStates}) and then resumed
 * like any failed execution.</li>
 * <li>Jobs run on a thread of their own while the calling thread waits (see
 * {@link LaunchWatch}): an Error in a worker thread fails the run instead of hanging it.
 * SIGTERM asks them to stop at the next chunk boundary (see {@link TermSignalStopper}),
 * and so does losing the run lock's database session (see {@link RunLockWatch}).</li>
 * </ul>
 * Recovering, abandoning and stopping by hand are {@link ExecutionControl}'s.
 * <p>
 * Thread-safe: each call works on its own execution.
 */
public class JobRunner {

	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	/**
	 * How long a job may take to end by itself after an Error in one of its worker
	 * threads before Ferry fails it: enough for a step's failure to reach the job.
	 */
	static final Duration WORKER_ERROR_GRACE = Duration.ofSeconds(10);

	private final Map<String, Job> jobs = new TreeMap<>();

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final LockedExecutions executions;

	private final ExecutionStates states;

	private final WorkerErrors workerErrors;

	private final Duration lockCheckInterval;

	/**
	 * @param lockCheckInterval how often a running job checks that the session holding
	 * its run lock is alive (see {@link RunLockWatch})
	 */
	public JobRunner(List<Job> jobs, JobOperator jobOperator, JobRepository jobRepository, LockedExecutions executions,
			ExecutionStates states, WorkerErrors workerErrors, Duration lockCheckInterval) {
		jobs.forEach(job -> this.jobs.put(job.getName(), job));
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.executions = executions;
		this.states = states;
		this.workerErrors = workerErrors;
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
	 * killed or its last repository write failed.
	 */
	public RunOutcome run(Job job, JobParameters parameters) {
		String jobName = job.getName();
		NativeCrypto.Status crypto = NativeCrypto.await();
		if (crypto.fellBack()) {
			logger.warn("Crypto: {}; hashing, signing and TLS are several times slower on them", crypto.description());
		}
		try {
			// before the lock and the repository: wrong parameters are a usage error, not
			// a failed run
			job.getJobParametersValidator().validate(parameters);
		}
		catch (InvalidJobParametersException ex) {
			return RunOutcome.of(ExitCode.USAGE, "Invalid parameters for job '" + jobName + "': " + ex.getMessage());
		}
		Optional<RunLock> lock = this.executions.tryLock(jobName, parameters);
		if (lock.isEmpty()) {
			return RunOutcome.of(ExitCode.ALREADY_RUNNING, "Job '" + jobName + "' (" + RunOutcomes.describe(parameters)
					+ ") is already running in another process, which holds its run lock; nothing was touched");
		}
		try (RunLock held = lock.get()) {
			JobInstance instance = this.jobRepository.getJobInstance(jobName, parameters);
			JobExecution last = (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
			if (last != null) {
				if (ExecutionStates.needsRecovery(last)) {
					last = recoverLeftBehind(last);
				}
				if (last.getStatus() == BatchStatus.COMPLETED) {
					return new RunOutcome(ExitCode.OK, "Job '" + jobName + "' (" + RunOutcomes.describe(parameters)
							+ ") already completed in execution " + last.getId() + "; nothing to do", last);
				}
				if (last.getStatus() == BatchStatus.ABANDONED) {
					return new RunOutcome(ExitCode.NOT_RESTARTABLE,
							"Job '" + jobName + "' (" + RunOutcomes.describe(parameters)
									+ ") was abandoned in execution " + last.getId() + " and cannot run again",
							last);
				}
				logger.info("Resuming job '{}' ({}) after execution {} ended {}", jobName,
						RunOutcomes.describe(parameters), last.getId(), last.getStatus());
			}
			return execute(held, jobName, parameters, () -> this.jobOperator.start(job, parameters));
		}
	}

	/** Restarts a failed, stopped, stale or UNKNOWN execution from where it stopped. */
	public RunOutcome restart(long executionId) {
		JobExecution execution = this.executions.find(executionId);
		if (execution == null) {
			return RunOutcome.of(ExitCode.USAGE, "There is no job execution " + executionId);
		}
		String jobName = execution.getJobInstance().getJobName();
		if (!this.jobs.containsKey(jobName)) {
			return RunOutcome.of(ExitCode.NOT_RESTARTABLE,
					"Execution " + executionId + " belongs to job '" + jobName + "', which this Ferry does not have");
		}
		return this.executions.underRunLock(execution,
				"Job '" + jobName + "' of execution " + executionId
						+ " is running in another process, which holds its run lock; nothing was touched",
				(locked, held) -> {
					RunOutcome notNewest = this.executions.refuseIfNotNewest(locked);
					if (notNewest != null) {
						return notNewest;
					}
					JobExecution current = ExecutionStates.needsRecovery(locked) ? recoverLeftBehind(locked) : locked;
					if (current.getStatus() == BatchStatus.COMPLETED || current.getStatus() == BatchStatus.ABANDONED) {
						return new RunOutcome(ExitCode.NOT_RESTARTABLE, "Execution " + executionId + " of job '"
								+ jobName + "' is " + current.getStatus() + " and cannot be restarted", current);
					}
					logger.info("Restarting execution {} of job '{}' ({}), which ended {}", executionId, jobName,
							RunOutcomes.describe(current.getJobParameters()), current.getStatus());
					return execute(held, jobName, current.getJobParameters(), () -> this.jobOperator.restart(current));
				});
	}

	/** Recovers an execution that no process runs, as the holder of its run lock. */
	private JobExecution recoverLeftBehind(JobExecution execution) {
		return this.states.recover(execution, RunOutcomes.leftBehind(execution));
	}

	/**
	 * Asks the running execution of an instance to stop, for a SIGTERM received by this
	 * process or a lost run lock.
	 */
	void stopRunning(String jobName, JobParameters parameters) {
		JobExecution running = this.jobRepository.getLastJobExecution(jobName, parameters);
		if (running == null || !running.getStatus().isRunning()) {
			logger.warn("Nothing to stop: job '{}' ({}) has no running execution yet", jobName,
					RunOutcomes.describe(parameters));
			return;
		}
		this.states.requestStop(running);
		logger.info("Stopping execution {} of job '{}' at its next chunk boundary; it will end STOPPED and can be"
				+ " restarted", running.getId(), jobName);
	}

	private RunOutcome execute(RunLock lock, String jobName, JobParameters parameters, LaunchWatch.Launch launch) {
		LaunchWatch.Result result;
		Runnable stop = () -> stopRunning(jobName, parameters);
		try (TermSignalStopper stopper = TermSignalStopper.install(stop);
				RunLockWatch watch = RunLockWatch.start(lock, this.lockCheckInterval, stop)) {
			result = LaunchWatch.run(launch, this.workerErrors, WORKER_ERROR_GRACE);
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
		return switch (result) {
			case LaunchWatch.Ended ended -> RunOutcomes.of(ended.execution(), ended.workerError());
			case LaunchWatch.Hung hung -> failHung(lock, jobName, parameters, hung);
		};
	}

	/**
	 * Fails a run whose threads are stuck after a worker's Error. The run lock stays held
	 * until this process exits: a stuck or still running thread could otherwise write
	 * beside a new run of the same instance.
	 */
	private RunOutcome failHung(RunLock lock, String jobName, JobParameters parameters, LaunchWatch.Hung hung) {
		lock.keepUntilExit();
		@Nullable JobExecution execution = this.jobRepository.getLastJobExecution(jobName, parameters);
		if (execution == null || !ExecutionStates.needsRecovery(execution)) {
			return RunOutcome.of(ExitCode.FAILED, "Job '" + jobName + "' failed: " + hung.workerError().describe());
		}
		JobExecution failed = this.states.recover(execution, "its threads did not end within "
				+ WORKER_ERROR_GRACE.toSeconds() + " s after an Error: " + hung.workerError().describe());
		return RunOutcomes.failedByWorkerError(failed, hung.workerError());
	}

}
