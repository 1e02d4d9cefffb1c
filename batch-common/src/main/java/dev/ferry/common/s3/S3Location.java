package dev.ferry.common.s3;

import java.net.URI;

import java.time.Duration;

import dev.ferry.common.secret.MaskedUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a job reads or writes objects: an S3-compatible endpoint, a bucket and a key
 * prefix, with the client settings that differ between AWS, Ceph RGW and MinIO. Bound
 * from configuration by the job that uses it (for example
 * {@code ferry.table-dump.target}).
 * <p>
 * The secret key is only ever read from the environment or a mounted file (see README),
 * and {@link #toString()} never shows it.
 *
 * @param endpoint the endpoint URL, e.g. {@code https://s3.eu-west-2.amazonaws.com} or
 * {@code http://rgw.internal:7480}
 * @param region the signing region; Ceph RGW accepts any, AWS needs the bucket's
 * @param bucket the bucket name
 * @param prefix the key prefix, without a leading slash; empty for the bucket's root
 * @param pathStyle whether to address the bucket in the path (Ceph RGW, MinIO) rather
 * than the host name (AWS)
 * @param checksums when the client adds request checksums: {@code WHEN_REQUIRED} for
 * stores that reject the AWS SDK's default CRC32 trailers (Ceph RGW 16, older MinIO)
 * @param accessKeyId the access key id; empty to use the AWS default credential chain
 * @param secretAccessKey the secret access key; from the environment or a mounted file
 * only
 * @param retry how the client retries a request that failed in a way worth retrying
 * (throttling, a 5xx, a dropped connection)
 */
public record S3Location(@NotNull URI endpoint, @NotBlank String region, @NotBlank String bucket, String prefix,
		boolean pathStyle, @NotNull ChecksumMode checksums, @Nullable String accessKeyId,
		@Nullable String secretAccessKey, @Valid @DefaultValue Retry retry) {

	/** The constructor that configuration binds (the other one is for code). */
	@ConstructorBinding
	public S3Location {
		prefix = (prefix != null) ? prefix : "";
		region = (region != null) ? region : "us-east-1";
		checksums = (checksums != null) ? checksums : ChecksumMode.WHEN_REQUIRED;
		retry = (retry != null) ? retry : Retry.DEFAULT;
	}

	/** A location with the default retry settings. */
	public S3Location(URI endpoint, String region, String bucket, String prefix, boolean pathStyle,
			ChecksumMode checksums, @Nullable String accessKeyId, @Nullable String secretAccessKey) {
		this(endpoint, region, bucket, prefix, pathStyle, checksums, accessKeyId, secretAccessKey, Retry.DEFAULT);
	}

	/**
	 * Named {@code endpoint} so that a validation error points at the property to fix
	 * ({@code ...target.endpoint}), not at this method.
	 */
	@AssertTrue(message = "must be an http or https URL with a host, e.g. https://s3.eu-west-2.amazonaws.com")
	public boolean isEndpoint() {
		return this.endpoint == null
				|| (("http".equals(this.endpoint.getScheme()) || "https".equals(this.endpoint.getScheme()))
						&& this.endpoint.getHost() != null);
	}

	@AssertTrue(message = "access-key-id and secret-access-key must be set together, or neither")
	public boolean isCredentialsComplete() {
		return isBlank(this.accessKeyId) == isBlank(this.secretAccessKey);
	}

	/**
	 * The endpoint as messages and log lines show it: a password in its user info masked.
	 */
	public String displayEndpoint() {
		return MaskedUrl.of(this.endpoint);
	}

	/** The object key for a name under this location's prefix. */
	public String key(String name) {
		if (this.prefix.isEmpty()) {
			return name;
		}
		return this.prefix.endsWith("/") ? this.prefix + name : this.prefix + "/" + name;
	}

	/**
	 * The same endpoint, client settings and credentials, with another bucket and prefix:
	 * a bucket that a route names on a configured endpoint.
	 */
	public S3Location withBucket(String bucket, String prefix) {
		return new S3Location(this.endpoint, this.region, bucket, prefix, this.pathStyle, this.checksums,
				this.accessKeyId, this.secretAccessKey, this.retry);
	}

	/** {@code s3://bucket/key}, for log lines and error messages. */
	public String uri(String key) {
		return "s3://" + this.bucket + "/" + key;
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	@Override
	public String toString() {
		return "S3Location[endpoint=" + displayEndpoint() + ", region=" + this.region + ", bucket=" + this.bucket
				+ ", prefix=" + this.prefix + ", pathStyle=" + this.pathStyle + ", checksums=" + this.checksums
				+ ", accessKeyId=" + this.accessKeyId + ", secretAccessKey="
				+ (isBlank(this.secretAccessKey) ? "<none>" : "<hidden>") + ", retry=" + this.retry + "]";
	}

	/**
	 * The S3 client's retries: the AWS SDK's standard conditions (throttling, 5xx, I/O
	 * errors), with exponential backoff and full jitter, and without the SDK's retry
	 * quota, which would stop retrying in the middle of a long outage just when a batch
	 * job wants to wait it out.
	 *
	 * @param maxAttempts attempts per request, the first included (1 turns retries off)
	 * @param baseDelay the backoff before the first retry; doubled for each further one
	 * @param maxBackoff the longest backoff between two attempts
	 */
	public record Retry(@Min(1) @Max(20) @DefaultValue("5") int maxAttempts,
			@NotNull @DefaultValue("200ms") Duration baseDelay, @NotNull @DefaultValue("20s") Duration maxBackoff) {

		/** The defaults: five attempts, 200 ms doubling up to 20 s. */
		public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(20));

	}

	/** When the client computes request checksums. */
	public enum ChecksumMode {

		/** Only where the operation requires one: what Ceph RGW and MinIO accept. */
		WHEN_REQUIRED,

		/** On every request that supports one: the AWS SDK's default since 2.30. */
		WHEN_SUPPORTED

	}

}
