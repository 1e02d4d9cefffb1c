package dev.ferry.common.s3;

/**
 * A bucket's rules could not be read or set. The message names the bucket and the
 * endpoint (never a secret); {@link #problem()} says what kind of failure it was, so that
 * a caller can point at the setting to fix.
 */
public class BucketAccessException extends RuntimeException {

	private final Problem problem;

	public BucketAccessException(Problem problem, String message, Throwable cause) {
		super(message, cause);
		this.problem = problem;
	}

	public Problem problem() {
		return this.problem;
	}

	/** What went wrong, as far as a caller can act on it. */
	public enum Problem {

		/** The bucket does not exist at the endpoint. */
		NO_SUCH_BUCKET,

		/** The store refused the credentials: unknown access key or wrong secret. */
		CREDENTIALS_REFUSED,

		/**
		 * Nothing answered at the endpoint (connection refused, unknown host, time-out).
		 */
		ENDPOINT_UNREACHABLE,

		/** The credentials are valid but lack the permission the operation needs. */
		ACCESS_DENIED,

		/** Anything else the store answered. */
		FAILED

	}

}
