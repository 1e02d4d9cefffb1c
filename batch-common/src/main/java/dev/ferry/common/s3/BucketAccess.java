package dev.ferry.common.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks, before a job writes anything, that a bucket exists and that the configured
 * credentials may list it, and explains a failure with the property to look at. The check
 * lists at most one key: S3's error codes come in the body of a listing, not of a HEAD
 * request.
 */
public final class BucketAccess {

	private BucketAccess() {
	}

	/**
	 * @param client a client for the location's endpoint
	 * @param location the bucket and prefix to check
	 * @param property the configuration prefix of the location, e.g.
	 * {@code ferry.table-dump.target}, for the messages
	 * @throws BucketProblem when the bucket cannot be used, saying why
	 */
	public static void check(S3Client client, S3Location location, String property) {
		try {
			client.listObjectsV2(request -> request.bucket(location.bucket()).prefix(location.prefix()).maxKeys(1));
		}
		catch (S3Exception ex) {
			throw BucketProblem.of(ex, location, property);
		}
		catch (SdkClientException ex) {
			throw new BucketProblem("Could not reach the S3 endpoint " + location.endpoint() + " (" + property
					+ ".endpoint) for bucket '" + location.bucket() + "': " + ex.getMessage(), ex);
		}
	}

	/** A bucket that cannot be used as configured. */
	public static final class BucketProblem extends RuntimeException {

		BucketProblem(String message, Throwable cause) {
			super(message, cause);
		}

		static BucketProblem of(S3Exception ex, S3Location location, String property) {
			String code = (ex.awsErrorDetails() != null && ex.awsErrorDetails().errorCode() != null)
					? ex.awsErrorDetails().errorCode() : "HTTP " + ex.statusCode();
			String bucket = "bucket '" + location.bucket() + "' at " + location.endpoint();
			String message = switch (code) {
				case "NoSuchBucket" -> "The " + bucket + " does not exist (" + property + ".bucket)";
				case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken" ->
					"The S3 endpoint " + location.endpoint() + " refused the credentials for " + bucket + " ("
							+ property + ".access-key-id, " + property + ".secret-access-key): " + code;
				case "AccessDenied" -> "Access to the " + bucket + " is denied to access key '" + location.accessKeyId()
						+ "' (" + property + ".access-key-id): " + code;
				default -> "The " + bucket + " cannot be used: " + code + ": " + ex.getMessage();
			};
			return new BucketProblem(message, ex);
		}

	}

}
