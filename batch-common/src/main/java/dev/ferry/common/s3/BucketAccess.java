package dev.ferry.common.s3;

import dev.ferry.common.s3.BucketAccessException.Problem;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks, before a job writes anything, that a bucket exists and that the configured
 * credentials may list it, and explains a failure with the property to look at. The check
 * lists at most one key: S3's error codes come in the body of a listing, not of a HEAD
 * request. Failures are classified like every other bucket access ({@link Problem#of}).
 */
public final class BucketAccess {

	private BucketAccess() {
	}

	/**
	 * @param client a client for the location's endpoint
	 * @param location the bucket and prefix to check
	 * @param property the configuration prefix of the location, e.g.
	 * {@code ferry.table-dump.target}, for the messages
	 * @throws BucketAccessException when the bucket cannot be used, saying why
	 */
	public static void check(S3Client client, S3Location location, String property) {
		try {
			client.listObjectsV2(request -> request.bucket(location.bucket()).prefix(location.prefix()).maxKeys(1));
		}
		catch (SdkException ex) {
			Problem problem = Problem.of(ex);
			throw new BucketAccessException(problem, message(problem, ex, location, property), ex);
		}
	}

	private static String message(Problem problem, SdkException ex, S3Location location, String property) {
		String bucket = "bucket '" + location.bucket() + "' at " + location.displayEndpoint();
		String code = (ex instanceof S3Exception s3) ? Problem.errorCode(s3) : null;
		return switch (problem) {
			case NO_SUCH_BUCKET -> "The " + bucket + " does not exist (" + property + ".bucket)";
			case CREDENTIALS_REFUSED -> "The S3 endpoint " + location.displayEndpoint()
					+ " refused the credentials for " + bucket + " (" + property + ".access-key-id, " + property
					+ ".secret-access-key): " + ((code != null) ? code : "HTTP 403");
			case ACCESS_DENIED -> "Access to the " + bucket + " is denied to access key '" + location.accessKeyId()
					+ "' (" + property + ".access-key-id): " + code;
			case ENDPOINT_UNREACHABLE -> "Could not reach the S3 endpoint " + location.displayEndpoint() + " ("
					+ property + ".endpoint) for bucket '" + location.bucket() + "': " + ex.getMessage();
			case FAILED ->
				"The " + bucket + " cannot be used: " + ((code != null) ? code + ": " : "") + ex.getMessage();
		};
	}

}
