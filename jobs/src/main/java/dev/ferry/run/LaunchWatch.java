package dev.ferry.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ferry.common.fatal.WorkerError;
import dev.ferry.common.fatal.WorkerErrors;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobRestartException;

/**
 * Runs a launch on a thread of its own and waits for the job to end, or for an
 * {@link Error} in one of its worker threads (see {@link WorkerErrors}). After such an
 * Error the job gets a short grace period to end by itself, as it does when the Error
 * only failed a step; a job still running after it counts as hung. An OutOfMemoryError
 * can leave a worker blocked for good (PgJDBC's connection stays locked by a COPY that
 * nobody finishes, and closing it waits forever), and Spring Batch then waits for that
 * worker forever: the process would log progress lines until killed.
 * <p>
 * While a job runs, {@link WorkerErrors} is the JVM's default uncaught exception handler,
 * so that a thread that dies of an Error is seen too.
 * <p>
 * Thread-safe: each call waits for its own launch.
 */
final class LaunchWatch {

	private LaunchWatch() {
	}

	/** How a watched launch ended. */
	sealed interface Result {

	}

	/**
	 * The job ended by itself.
	 *
	 * @param execution the execution, as the job left it
	 * @param workerError the first Error of a worker thread while it ran, if any
	 */
	record Ended(JobExecution execution, Optional<WorkerError> workerError) implements Result {
	}

	/**
	 * The job did not end within the grace period after a worker's Error: some of its
	 * threads are stuck, and will stay so.
	 *
	 * @param workerError the Error
	 */
	record Hung(WorkerError workerError) implements Result {
	}

	static Result run(Launch launch, WorkerErrors workerErrors, Duration grace)
			throws JobExecutionAlreadyRunningException, JobRestartException, JobInstanceAlreadyCompleteException,
			InvalidJobParametersException {
		CompletableFuture<WorkerError> workerError = workerErrors.watch();
		CompletableFuture<JobExecution> job = new CompletableFuture<>();
		Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler(workerErrors);
		try {
			// a daemon: a job thread stuck for good must not keep the JVM from exiting
			Thread.ofPlatform().name("ferry-job").daemon(true).start(() -> {
				try {
					job.complete(launch.launch());
				}
				catch (Throwable failure) {
					// handed to the waiting thread, which throws it
					job.completeExceptionally(failure);
				}
			});
			// whichever comes first; a failed launch is thrown by ended() below
			CompletableFuture.anyOf(job, workerError).handle((result, failure) -> result).join();
			if (!job.isDone() && !endsWithin(job, grace)) {
				return new Hung(workerError.join());
			}
			return new Ended(ended(job), workerErrors.first());
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(previous);
		}
	}

	private static boolean endsWithin(CompletableFuture<JobExecution> job, Duration grace) {
		try {
			job.get(grace.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			// it ended, by failing: ended() throws the failure
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the job to end", ex);
		}
	}

	private static JobExecution ended(CompletableFuture<JobExecution> job) throws JobExecutionAlreadyRunningException,
			JobRestartException, JobInstanceAlreadyCompleteException, InvalidJobParametersException {
		try {
			return job.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the job to end", ex);
		}
		catch (ExecutionException ex) {
			switch (ex.getCause()) {
				case JobExecutionAlreadyRunningException running -> throw running;
				case JobRestartException restart -> throw restart;
				case JobInstanceAlreadyCompleteException complete -> throw complete;
				case InvalidJobParametersException invalid -> throw invalid;
				case RuntimeException runtime -> throw runtime;
				case Error error -> throw error;
				case null, default -> throw new IllegalStateException("The job failed to launch", ex.getCause());
			}
		}
	}

	/** A start or a restart. */
	@FunctionalInterface
	interface Launch {

		JobExecution launch() throws JobExecutionAlreadyRunningException, JobRestartException,
				JobInstanceAlreadyCompleteException, InvalidJobParametersException;

	}

}
