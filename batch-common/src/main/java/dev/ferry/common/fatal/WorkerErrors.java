package dev.ferry.common.fatal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Collects the {@link Error}s of a run's worker threads and tells whoever waits for the
 * run. An Error in a worker is caught by Spring Batch or by a {@code Future} and only
 * fails that worker's step; the run then waits for that worker, which can be stuck for
 * good: an OutOfMemoryError while PgJDBC reads a COPY leaves the connection locked, and
 * closing it then waits forever. Seeing the Error here lets the run fail promptly instead
 * of hanging.
 * <p>
 * Errors arrive three ways: as the failure of a step (every step has this listener, see
 * {@link dev.ferry.common.batch.FerryListenersPostProcessor}), from a thread that dies of
 * one (this is the default uncaught exception handler while a job runs), or reported
 * directly by a thread that catches them (the progress thread).
 * <p>
 * Thread-safe.
 */
public class WorkerErrors implements StepExecutionListener, Thread.UncaughtExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(WorkerErrors.class);

	private volatile CompletableFuture<WorkerError> current = new CompletableFuture<>();

	/**
	 * Starts watching a new run.
	 * @return completed with the first Error reported from now on
	 */
	public CompletableFuture<WorkerError> watch() {
		CompletableFuture<WorkerError> next = new CompletableFuture<>();
		this.current = next;
		return next;
	}

	/** The first Error of the run being watched, if one was reported. */
	public Optional<WorkerError> first() {
		return Optional.ofNullable(this.current.getNow(null));
	}

	/**
	 * Reports an Error of a worker thread; the first one of a run is the one the run
	 * fails with.
	 * @param where what the thread was doing, e.g. {@code step 'dumpTable:public.users'}
	 * @param error the Error
	 */
	public void report(String where, Throwable error) {
		WorkerError reported = new WorkerError(where, error);
		CompletableFuture<WorkerError> run = this.current;
		if (run.complete(reported)) {
			logger.error("{} The run fails.", reported.describe(), error);
		}
		else if (run.getNow(reported).error() != error) {
			logger.error("{} failed with an Error too", where, error);
		}
	}

	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		for (Throwable failure : stepExecution.getFailureExceptions()) {
			Optional<Throwable> error = WorkerError.errorIn(failure);
			if (error.isPresent()) {
				report("step '" + stepExecution.getStepName() + "'", error.get());
				break;
			}
		}
		return null;
	}

	/** A thread died of an exception that nothing caught. */
	@Override
	public void uncaughtException(Thread thread, Throwable failure) {
		Optional<Throwable> error = WorkerError.errorIn(failure);
		if (error.isPresent()) {
			report("thread '" + thread.getName() + "'", error.get());
		}
		else {
			logger.error("Thread '{}' ended with an exception nothing caught", thread.getName(), failure);
		}
	}

}
