package dev.ferry.common.transfer;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import org.jspecify.annotations.Nullable;

/**
 * The store answered a write without the server-side encryption it was asked for. Some
 * stores accept the request header and ignore it (Ceph RGW 16 with {@code AES256}), so
 * only the store's answer is evidence that an object is encrypted at rest.
 */
public class EncryptionNotAppliedException extends RuntimeException {

	EncryptionNotAppliedException(S3Target target, String uri, String operation, @Nullable String reported,
			@Nullable String reportedKey) {
		super(message(target, uri, operation, reported, reportedKey));
	}

	private static String message(S3Target target, String uri, String operation, @Nullable String reported,
			@Nullable String reportedKey) {
		ServerSideEncryption requested = target.encryption();
		String answer = (reported == null) ? "no server-side encryption"
				: reported + ((reportedKey != null) ? " with key " + reportedKey : "");
		String advice = (requested.algorithm() == ServerSideEncryption.Algorithm.AES256)
				? "; some stores ignore AES256 without an error (Ceph RGW before 17 does): use AWS_KMS with "
						+ target.encryptionProperty() + ".kms-key-id there"
				: "; check the key id (" + target.encryptionProperty() + ".kms-key-id) and the store's KMS settings";
		return "The S3 store at " + target.location().displayEndpoint() + " did not encrypt " + uri + " as asked: "
				+ operation + " requested " + requested + " (" + target.encryptionProperty() + ".algorithm) and the"
				+ " store reported " + answer + advice;
	}

}
