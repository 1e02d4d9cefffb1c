package dev.ferry.cli;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the process ends once a command has its exit code. Closing Spring (pools,
 * clients, the final metrics push) and the JVM's shutdown hooks normally take a second;
 * after an Error in a worker thread they may not end at all (a thread that holds a lock
 * they need is stuck for good), and a CronJob pod would then run until its deadline. So
 * if the process still lives {@link #GRACE} after the command ended, it is halted with
 * the command's exit code.
 */
final class ExitDeadline {

	private static final Logger logger = LoggerFactory.getLogger(ExitDeadline.class);

	/** Room for pools to close and for the metrics push and its timeouts. */
	static final Duration GRACE = Duration.ofSeconds(60);

	private ExitDeadline() {
	}

	/** Halts the JVM with this exit code unless it has exited within the grace period. */
	static void arm(int exitCode) {
		Thread.ofPlatform().name("ferry-exit-deadline").daemon(true).start(() -> {
			try {
				Thread.sleep(GRACE);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			logger.error("Ferry did not exit within {} s after the command ended; halting with exit code {}",
					GRACE.toSeconds(), exitCode);
			Runtime.getRuntime().halt(exitCode);
		});
	}

}
