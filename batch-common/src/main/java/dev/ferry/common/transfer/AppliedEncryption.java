package dev.ferry.common.transfer;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
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
		if (!matches(target.encryption(), reported, reportedKey)) {
			throw new EncryptionNotAppliedException(target, uri, operation, reported, reportedKey);
		}
	}

	static boolean matches(ServerSideEncryption requested, @Nullable String reported, @Nullable String reportedKey) {
		return switch (requested.algorithm()) {
			case NONE -> true;
			case AES256 -> "AES256".equals(reported);
			case AWS_KMS -> "aws:kms".equals(reported) && sameKey(requested.kmsKeyId(), reportedKey);
		};
	}

	/**
	 * AWS reports a key's ARN where the configuration may name the key's id; an alias
	 * cannot be resolved without asking KMS, so any key the store reports satisfies it.
	 */
	private static boolean sameKey(@Nullable String configured, @Nullable String reported) {
		if (configured == null || reported == null) {
			return configured == null;
		}
		return reported.equals(configured) || reported.endsWith("/" + configured) || configured.startsWith("alias/");
	}

}
