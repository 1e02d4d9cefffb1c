package dev.ferry.run;

import java.time.Duration;

import dev.ferry.common.guard.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a job runs, checks every {@code interval} that the database session holding its
 * run lock is still alive. A session can end under a running job: the database restarts
 * or fails over, a network device drops the idle connection, an administrator runs
 * {@code pg_terminate_backend}. Its advisory lock ends with it, and another launcher
 * could then take the same job instance and run it beside this one. So a lost lock asks
 * the job to stop at its next chunk boundary: it ends STOPPED, and the next run (which
 * takes the lock again) resumes it.
 * <p>
 * The check runs on a platform thread of its own and is never interrupted: interrupting a
 * thread in a JDBC call could close the very connection that holds the lock. Thread-safe.
 */
final class RunLockWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunLockWatch.class);

	private final RunLock lock;

	private final long intervalMillis;

	private final Runnable stop;

	private final Thread thread;

	private boolean closed;

	private RunLockWatch(RunLock lock, Duration interval, Runnable stop) {
		this.lock = lock;
		this.intervalMillis = Math.max(1, interval.toMillis());
		this.stop = stop;
		this.thread = Thread.ofPlatform().name("ferry-run-lock-watch").daemon(true).unstarted(this::watch);
	}

	static RunLockWatch start(RunLock lock, Duration interval, Runnable stop) {
		RunLockWatch watch = new RunLockWatch(lock, interval, stop);
		watch.thread.start();
		return watch;
	}

	private void watch() {
		while (awaitNextCheck()) {
			if (!this.lock.isAlive()) {
				logger.error("The run lock of {} was lost with its database session: another process could now run"
						+ " the same job instance. Stopping this run at its next chunk boundary; the next run resumes it",
						this.lock.description());
				try {
					this.stop.run();
				}
				catch (RuntimeException ex) {
					logger.error("Could not ask the job to stop after losing its run lock", ex);
				}
				return;
			}
		}
	}

	/** Waits one interval; false once the watch is closed. */
	private synchronized boolean awaitNextCheck() {
		long deadline = System.currentTimeMillis() + this.intervalMillis;
		for (long left = this.intervalMillis; !this.closed && left > 0; left = deadline - System.currentTimeMillis()) {
			try {
				wait(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return !this.closed;
	}

	/** Ends the watch, after a check in progress (if any) has finished. */
	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
			notifyAll();
		}
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
