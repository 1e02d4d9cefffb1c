package dev.ferry.mirror;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.ServerSideEncryption;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of routed egress, the s3Egress job ({@code ferry.s3-egress.*}): the sources
 * whose {@code pipeline_success.flag} objects it looks for, the endpoints that routes'
 * destination buckets live on, and the directory that DIRECTORY routes write under. The
 * routes themselves are rows of {@code ferry_route}.
 *
 * @param sources the sources, by name (the job parameter {@code source}): each a bucket
 * and prefix under which flags are looked for; routes of that bucket apply
 * @param targets other S3 endpoints that routes' destination buckets live on, by name (a
 * route's {@code destination_endpoint}); a route without one writes to the source's own
 * endpoint, with the source's credentials
 * @param encryption the server-side encryption of objects written to buckets on a
 * source's own endpoint
 * @param directoryRoot the directory DIRECTORY routes write under (the volume the SFT
 * sidecar drains); a route's directory is relative to it
 * @param concurrency objects transferred at once
 * @param partSize the size of a multipart part (5MB to 512MB)
 * @param multipartThreshold objects above this size go to S3 as multipart uploads,
 * resumable by part
 * @param chunkKeys objects per chunk (one commit of the checkpoint)
 * @param chunkSize bytes per chunk: a chunk ends at whichever comes first
 * @param expireDays the object expiry that {@code bucket-check} expects of the S3
 * destinations of routes and {@code bucket-setup} applies
 */
@Validated
@ConfigurationProperties("ferry.s3-egress")
record S3EgressProperties(@DefaultValue Map<String, @Valid S3Location> sources,
		@DefaultValue Map<String, @Valid Target> targets,
		@Valid @NotNull @DefaultValue @NestedConfigurationProperty ServerSideEncryption encryption,
		@Nullable Path directoryRoot, @Min(1) @Max(64) @DefaultValue("8") int concurrency,
		@NotNull @DefaultValue("16MB") DataSize partSize, @NotNull @DefaultValue("16MB") DataSize multipartThreshold,
		@Min(1) @Max(10000) @DefaultValue("100") int chunkKeys, @NotNull @DefaultValue("256MB") DataSize chunkSize,
		@Min(1) @DefaultValue("14") int expireDays) {

	static final String PREFIX = "ferry.s3-egress";

	@AssertTrue(message = "must be between 5MB (the S3 minimum) and 512MB (each large object in flight holds one part"
			+ " in memory)")
	public boolean isPartSize() {
		return this.partSize == null || (this.partSize.compareTo(S3MirrorProperties.Mirror.MIN_PART_SIZE) >= 0
				&& this.partSize.compareTo(S3MirrorProperties.Mirror.MAX_PART_SIZE) <= 0);
	}

	@AssertTrue(message = "must not be above 5GB, the largest object S3 takes in one PUT")
	public boolean isMultipartThreshold() {
		return this.multipartThreshold == null || this.multipartThreshold.compareTo(DataSize.ofGigabytes(5)) <= 0;
	}

	/**
	 * An S3 endpoint that destination buckets live on: the settings of an
	 * {@link S3Location} without bucket and prefix, which each route gives.
	 *
	 * @param endpoint the endpoint URL, e.g. {@code http://rgw.internal:7480}
	 * @param region the signing region
	 * @param pathStyle whether to address buckets in the path (Ceph RGW, MinIO)
	 * @param checksums when the client adds request checksums
	 * @param accessKeyId the access key id; empty for the AWS default credential chain
	 * @param secretAccessKey the secret access key, from the environment or a file only
	 * @param retry how the client retries a failed request
	 * @param encryption the server-side encryption of every object written here
	 */
	record Target(@NotNull URI endpoint, @NotBlank @DefaultValue("us-east-1") String region,
			@DefaultValue("false") boolean pathStyle,
			@NotNull @DefaultValue("WHEN_REQUIRED") S3Location.ChecksumMode checksums, @Nullable String accessKeyId,
			@Nullable String secretAccessKey, @Valid @DefaultValue S3Location.Retry retry,
			@Valid @NotNull @DefaultValue ServerSideEncryption encryption) {

		@AssertTrue(message = "must be an http or https URL with a host, e.g. http://rgw.internal:7480")
		public boolean isEndpoint() {
			return this.endpoint == null
					|| (("http".equals(this.endpoint.getScheme()) || "https".equals(this.endpoint.getScheme()))
							&& this.endpoint.getHost() != null);
		}

		@AssertTrue(message = "access-key-id and secret-access-key must be set together, or neither")
		public boolean isCredentialsComplete() {
			return (this.accessKeyId == null || this.accessKeyId.isBlank()) == (this.secretAccessKey == null
					|| this.secretAccessKey.isBlank());
		}

		/** A location of this endpoint: a route's destination bucket and prefix. */
		S3Location location(String bucket, String prefix) {
			return new S3Location(this.endpoint, this.region, bucket, prefix, this.pathStyle, this.checksums,
					this.accessKeyId, this.secretAccessKey, this.retry);
		}

		@Override
		public String toString() {
			return "Target[endpoint=" + location("-", "").displayEndpoint() + ", accessKeyId=" + this.accessKeyId
					+ ", secretAccessKey=<hidden>]";
		}

	}

}
