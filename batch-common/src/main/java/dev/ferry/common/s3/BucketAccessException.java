package dev.ferry.common.s3;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.core.NestedExceptionUtils;

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
		FAILED;

		private static final Set<String> CREDENTIALS_REFUSED_CODES = Set.of("InvalidAccessKeyId",
				"SignatureDoesNotMatch", "InvalidToken", "ExpiredToken");

		/**
		 * What kind of failure an S3 call ended with. Without an error code (the answer
		 * to a HEAD request has no body) the HTTP status decides.
		 */
		public static Problem of(SdkException ex) {
			if (ex instanceof S3Exception s3) {
				String code = errorCode(s3);
				if ((code != null) ? code.equals("NoSuchBucket") : s3.statusCode() == 404) {
					return NO_SUCH_BUCKET;
				}
				if ((code != null) ? CREDENTIALS_REFUSED_CODES.contains(code) : s3.statusCode() == 403) {
					return CREDENTIALS_REFUSED;
				}
				return "AccessDenied".equals(code) ? ACCESS_DENIED : FAILED;
			}
			Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
			boolean unreachable = root instanceof ConnectException || root instanceof UnknownHostException
					|| root instanceof NoRouteToHostException || root instanceof SocketTimeoutException
					|| (root instanceof InterruptedIOException && root.getClass().getSimpleName().contains("Timeout"));
			return unreachable ? ENDPOINT_UNREACHABLE : FAILED;
		}

		/** The S3 error code of an answer, when it had a body. */
		public static @Nullable String errorCode(S3Exception ex) {
			return (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorCode() : null;
		}

	}

}
