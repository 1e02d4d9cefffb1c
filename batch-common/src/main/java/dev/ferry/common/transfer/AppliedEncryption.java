package dev.ferry.common.transfer;

import dev.ferry.common.s3.S3Target;
import org.jspecify.annotations.Nullable;

/**
 * Compares the server-side encryption a store reported for a write with what the target
 * asked for.
 */
final class AppliedEncryption {

	private AppliedEncryption() {
	}

	/**
	 * @param target what was asked for
	 * @param uri the object, for the message
	 * @param operation the S3 call, for the message
	 * @param reported the {@code x-amz-server-side-encryption} of the response
	 * @param reportedKey its {@code x-amz-server-side-encryption-aws-kms-key-id}
	 * @throws EncryptionNotAppliedException when the answer does not show the requested
	 * encryption
	 */
	static void verify(S3Target target, String uri, String operation, @Nullable String reported,
			@Nullable String reportedKey) {
		if (!target.encryption().isReportedBy(reported, reportedKey)) {
			throw new EncryptionNotAppliedException(target, uri, operation, reported, reportedKey);
		}
	}

}
