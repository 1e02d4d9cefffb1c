package dev.ferry.common.s3;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.ferry.common.failure.RootCause;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Proves that objects under the target prefix are encrypted at rest: writes a small probe
 * object with the job's own encryption request, asks the store how it stored it
 * (HeadObject), and deletes it. A store's answer is evidence, its silence is not: Ceph
 * RGW 16 accepts {@code x-amz-server-side-encryption: AES256} and stores the object
 * unencrypted.
 * <p>
 * Needs {@code s3:PutObject} and {@code s3:DeleteObject} under the prefix. Thread-safe.
 */
final class EncryptionProbe {

	static final String PROBE_NAME = ".ferry-encryption-probe-";

	private final S3Client client;

	private final S3Location location;

	private final ServerSideEncryption requested;

	EncryptionProbe(S3Client client, S3Location location, ServerSideEncryption requested) {
		this.client = client;
		this.location = location;
		this.requested = requested;
	}

	/**
	 * What the probe found.
	 *
	 * @param encrypted whether the store reported the object encrypted as asked (by the
	 * job's request, or by the bucket's default when the job asks for nothing)
	 * @param line the report line
	 */
	record Result(boolean encrypted, String line) {

	}

	Result run() {
		String key = this.location.key(PROBE_NAME + UUID.randomUUID());
		PutObjectRequest.Builder put = PutObjectRequest.builder()
			.bucket(this.location.bucket())
			.key(key)
			.contentType("text/plain");
		HeadObjectResponse head;
		try {
			this.client.putObject(this.requested.applyTo(put).build(),
					RequestBody.fromString("Ferry's encryption probe; deleted right away\n", StandardCharsets.UTF_8));
			head = this.client.headObject(request -> request.bucket(this.location.bucket()).key(key));
		}
		catch (SdkException ex) {
			return new Result(false, "encryption probe: FAILED: could not write and read back a probe object "
					+ this.location.uri(key) + " (needs s3:PutObject): " + RootCause.describe(ex));
		}
		String cleanUp = delete(key);
		String reported = head.serverSideEncryptionAsString();
		String reportedKey = head.ssekmsKeyId();
		boolean encrypted = reported != null && this.requested.isReportedBy(reported, reportedKey);
		String asked = (this.requested.algorithm() == ServerSideEncryption.Algorithm.NONE)
				? "no encryption of its own (the bucket's default applies)" : this.requested.toString();
		String line = encrypted
				? "encryption probe: ENCRYPTED: a probe object written with " + asked + " is stored "
						+ describe(reported, reportedKey)
				: "encryption probe: NOT ENCRYPTED: a probe object written with " + asked + " is stored "
						+ describe(reported, reportedKey) + advice();
		return new Result(encrypted, line + cleanUp);
	}

	private String advice() {
		return switch (this.requested.algorithm()) {
			case AES256 -> ": the store ignores AES256 (Ceph RGW before 17 does); ask for AWS_KMS with a kms-key-id";
			case AWS_KMS -> ": check the kms-key-id and the store's KMS settings";
			case NONE -> ": the bucket's default encryption does not apply; ask for AES256 or AWS_KMS";
		};
	}

	private static String describe(@Nullable String reported, @Nullable String reportedKey) {
		if (reported == null) {
			return "without server-side encryption";
		}
		return "with " + reported + ((reportedKey != null) ? " (key " + reportedKey + ")" : "");
	}

	/** Deletes the probe; says where it was left when that is refused. */
	private String delete(String key) {
		try {
			this.client.deleteObject(request -> request.bucket(this.location.bucket()).key(key));
			return "";
		}
		catch (SdkException ex) {
			return " (the probe object " + this.location.uri(key) + " could not be deleted, delete it or grant"
					+ " s3:DeleteObject: " + RootCause.describe(ex) + ")";
		}
	}

}
