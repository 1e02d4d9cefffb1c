package dev.ferry.common.s3;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The server-side encryption that every object a job writes asks for. Ceph RGW and AWS
 * both implement {@code AES256} (SSE-S3) and {@code aws:kms} (SSE-KMS with a key id);
 * S3Proxy implements neither, hence {@link Algorithm#NONE} for tests and demos.
 *
 * @param algorithm which encryption to request
 * @param kmsKeyId the KMS key id, required for {@link Algorithm#AWS_KMS} and refused
 * otherwise
 */
public record ServerSideEncryption(@NotNull Algorithm algorithm, @Nullable String kmsKeyId) {

	public ServerSideEncryption {
		algorithm = (algorithm != null) ? algorithm : Algorithm.AES256;
	}

	public static ServerSideEncryption none() {
		return new ServerSideEncryption(Algorithm.NONE, null);
	}

	@AssertTrue(message = "kms-key-id is required with algorithm AWS_KMS, and only allowed with it")
	public boolean isKmsKeyIdConsistent() {
		boolean hasKey = this.kmsKeyId != null && !this.kmsKeyId.isBlank();
		return hasKey == (this.algorithm == Algorithm.AWS_KMS);
	}

	public PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
		if (this.algorithm != Algorithm.NONE) {
			request.serverSideEncryption(this.algorithm.headerValue()).ssekmsKeyId(this.kmsKeyId);
		}
		return request;
	}

	public CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
		if (this.algorithm != Algorithm.NONE) {
			request.serverSideEncryption(this.algorithm.headerValue()).ssekmsKeyId(this.kmsKeyId);
		}
		return request;
	}

	/**
	 * Whether a store's answer ({@code x-amz-server-side-encryption} and its KMS key id)
	 * shows this encryption applied. For {@link Algorithm#NONE} any answer does. AWS
	 * reports a key's ARN where the configuration may name the key's id; an alias cannot
	 * be resolved without asking KMS, so any key the store reports satisfies it.
	 * @param reported the algorithm the store reported, or null
	 * @param reportedKey the KMS key id the store reported, or null
	 */
	public boolean isReportedBy(@Nullable String reported, @Nullable String reportedKey) {
		return switch (this.algorithm) {
			case NONE -> true;
			case AES256 -> Algorithm.AES256.headerValue().equals(reported);
			case AWS_KMS -> Algorithm.AWS_KMS.headerValue().equals(reported) && sameKey(reportedKey);
		};
	}

	private boolean sameKey(@Nullable String reported) {
		if (this.kmsKeyId == null || reported == null) {
			return this.kmsKeyId == null;
		}
		return reported.equals(this.kmsKeyId) || reported.endsWith("/" + this.kmsKeyId)
				|| this.kmsKeyId.startsWith("alias/");
	}

	@Override
	public String toString() {
		return (this.algorithm == Algorithm.AWS_KMS) ? "aws:kms (key " + this.kmsKeyId + ")"
				: this.algorithm.headerValue();
	}

	/** The {@code x-amz-server-side-encryption} choices. */
	public enum Algorithm {

		/** No header: the bucket's default applies, if any. */
		NONE("none"),

		/** SSE-S3: keys managed by the store. */
		AES256("AES256"),

		/** SSE-KMS: the key id names the key. */
		AWS_KMS("aws:kms");

		private final String headerValue;

		Algorithm(String headerValue) {
			this.headerValue = headerValue;
		}

		public String headerValue() {
			return this.headerValue;
		}

	}

}
