package dev.ferry.common.s3;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket and prefix that a job reads or writes, with a client for its endpoint, the
 * server-side encryption its writes ask for, and the configuration properties they came
 * from, so that every message about it can name the property to fix. Every job's source
 * and target is one of these. Owns and closes the client.
 * <p>
 * Thread-safe: the AWS SDK's client is.
 *
 * @param client the S3 client for the location's endpoint
 * @param location endpoint, bucket, prefix and client settings
 * @param encryption server-side encryption for every object written here
 * @param property the configuration prefix of the location, e.g.
 * {@code ferry.table-dump.target}
 * @param encryptionProperty the configuration prefix of the encryption, e.g.
 * {@code ferry.table-dump.encryption}
 */
public record S3Target(S3Client client, S3Location location, ServerSideEncryption encryption, String property,
		String encryptionProperty) implements AutoCloseable {

	/**
	 * Builds a client for a configured location.
	 * @param location the configured location
	 * @param encryption the configured encryption
	 * @param property where the location is configured, for messages
	 * @param encryptionProperty where the encryption is configured, for messages
	 * @param maxConnections connections the client may open at once
	 * @return the target, which the caller closes
	 */
	public static S3Target open(S3Location location, ServerSideEncryption encryption, String property,
			String encryptionProperty, int maxConnections) {
		return new S3Target(new S3ClientFactory(maxConnections).create(location), location, encryption, property,
				encryptionProperty);
	}

	/** The bucket. */
	public String bucket() {
		return this.location.bucket();
	}

	/** {@code s3://bucket/key}, for log lines and error messages. */
	public String uri(String key) {
		return this.location.uri(key);
	}

	/** The bucket and endpoint, for messages: {@code bucket 'b' at http://host:7480}. */
	public String describe() {
		return "bucket '" + this.location.bucket() + "' at " + this.location.displayEndpoint();
	}

	/**
	 * Checks that the bucket exists and takes the credentials.
	 * @throws BucketAccessException when it does not, naming the property to fix
	 */
	public void checkAccess() {
		BucketAccess.check(this.client, this.location, this.property);
	}

	@Override
	public void close() {
		this.client.close();
	}

}
