package dev.ferry.run;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a job runs, turns SIGTERM (a pod eviction, a CronJob's deadline) and SIGINT into
 * a stop request, so the job ends STOPPED at its next chunk boundary, restartable, and
 * the process exits with {@link ExitCode#STOPPED} instead of dying mid-chunk. A second
 * signal exits at once, as the operator (or the kubelet, after its grace period) insists;
 * the execution is then stale and the next run with the same parameters resumes it.
 * <p>
 * Uses {@code sun.misc.Signal} (module jdk.unsupported), the one way for a JVM to handle
 * SIGTERM without starting shutdown.
 */
final class TermSignalStopper implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TermSignalStopper.class);

	private static final String[] SIGNALS = { "TERM", "INT" };

	private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

	private final AtomicBoolean requested = new AtomicBoolean();

	private final Runnable stop;

	private TermSignalStopper(Runnable stop) {
		this.stop = stop;
	}

	static TermSignalStopper install(Runnable stop) {
		TermSignalStopper stopper = new TermSignalStopper(stop);
		for (int i = 0; i < SIGNALS.length; i++) {
			stopper.previous[i] = Signal.handle(new Signal(SIGNALS[i]), stopper::handle);
		}
		return stopper;
	}

	private void handle(Signal signal) {
		if (!this.requested.compareAndSet(false, true)) {
			logger.warn("Received SIG{} again: exiting now; the execution is left stale and the next run resumes it",
					signal.getName());
			Runtime.getRuntime().halt(128 + signal.getNumber());
		}
		logger.info("Received SIG{}: stopping the job at its next chunk boundary", signal.getName());
		// the handler runs on its own thread; a stop request is a short repository update
		try {
			this.stop.run();
		}
		catch (RuntimeException ex) {
			logger.error("Could not ask the job to stop after SIG{}", signal.getName(), ex);
		}
	}

	@Override
	public void close() {
		for (int i = 0; i < SIGNALS.length; i++) {
			Signal.handle(new Signal(SIGNALS[i]), this.previous[i]);
		}
	}

}
