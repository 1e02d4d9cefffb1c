package dev.ferry.tabledump;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.ServerSideEncryption;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bucket table-dump writes to: a client for its endpoint, where in the bucket, and
 * the encryption every object asks for. Owns and closes the client.
 *
 * @param client the S3 client for the target endpoint
 * @param location bucket and prefix
 * @param encryption server-side encryption for every object
 */
public record TableDumpTarget(S3Client client, S3Location location,
		ServerSideEncryption encryption) implements AutoCloseable {

	@Override
	public void close() {
		this.client.close();
	}

}
