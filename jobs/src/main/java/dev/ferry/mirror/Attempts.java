package dev.ferry.mirror;

import java.time.Duration;
import java.util.function.Supplier;

import dev.ferry.common.transfer.EncryptionNotAppliedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retries the copy of one object (or one part) with a growing pause: beyond the S3
 * client's own retries of each request, a copy is two requests (a GET streaming into a
 * PUT) and a stream that broke half-way can only be restarted as a whole. What cannot get
 * better by waiting (encryption the store did not apply, a refused request, denied
 * access) fails at once. The last failure is rethrown with what was tried.
 * <p>
 * Thread-safe: stateless.
 */
final class Attempts {

	private static final Logger logger = LoggerFactory.getLogger(Attempts.class);

	static final int MAX_ATTEMPTS = 3;

	private final Duration firstPause;

	Attempts(Duration firstPause) {
		this.firstPause = firstPause;
	}

	<T> T run(String what, Supplier<T> action) {
		for (int attempt = 1;; attempt++) {
			try {
				return action.get();
			}
			catch (RuntimeException ex) {
				if (attempt == MAX_ATTEMPTS || !worthRetrying(ex)) {
					throw new CopyFailure(
							what + " failed" + ((attempt > 1) ? " " + attempt + " times" : "") + ": " + ex.getMessage(),
							ex);
				}
				Duration pause = this.firstPause.multipliedBy(1L << (attempt - 1));
				logger.warn("{} failed (attempt {} of {}), trying again in {} ms: {}", what, attempt, MAX_ATTEMPTS,
						pause.toMillis(), ex.toString());
				sleep(pause);
			}
		}
	}

	private static boolean worthRetrying(RuntimeException ex) {
		if (ex instanceof EncryptionNotAppliedException) {
			return false;
		}
		if (ex instanceof S3Exception s3) {
			int status = s3.statusCode();
			return !(status == 400 || status == 401 || status == 403 || status == 405);
		}
		return true;
	}

	private static void sleep(Duration pause) {
		try {
			Thread.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to try again", ex);
		}
	}

	/** A copy that failed for good. */
	static class CopyFailure extends RuntimeException {

		CopyFailure(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
