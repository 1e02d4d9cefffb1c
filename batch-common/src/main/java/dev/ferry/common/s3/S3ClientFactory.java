package dev.ferry.common.s3;

import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds AWS SDK v2 clients for an {@link S3Location}, with the per-endpoint settings
 * that non-AWS stores need: path-style addressing and request checksums only when
 * required (Ceph RGW 16 answers {@code XAmzContentSHA256Mismatch} to the SDK's default
 * aws-chunked CRC32 trailer), and the location's retry settings
 * ({@link S3Location.Retry}).
 * <p>
 * Thread-safe; the clients it builds are thread-safe too and should be closed by their
 * owner.
 */
public class S3ClientFactory {

	private final int maxConnections;

	public S3ClientFactory(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public S3Client create(S3Location location) {
		boolean whenRequired = location.checksums() == S3Location.ChecksumMode.WHEN_REQUIRED;
		return S3Client.builder()
			.endpointOverride(location.endpoint())
			.region(Region.of(location.region()))
			.forcePathStyle(location.pathStyle())
			.requestChecksumCalculation(
					whenRequired ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
			.responseChecksumValidation(
					whenRequired ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
			.credentialsProvider(credentials(location))
			.overrideConfiguration(override -> override.retryStrategy(retryStrategy(location.retry())))
			.httpClientBuilder(ApacheHttpClient.builder()
				.maxConnections(this.maxConnections)
				.connectionTimeout(Duration.ofSeconds(10))
				.socketTimeout(Duration.ofMinutes(2)))
			.build();
	}

	static RetryStrategy retryStrategy(S3Location.Retry retry) {
		return AwsRetryStrategy.standardRetryStrategy()
			.toBuilder()
			.maxAttempts(retry.maxAttempts())
			.backoffStrategy(BackoffStrategy.exponentialDelay(retry.baseDelay(), retry.maxBackoff()))
			.throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(retry.baseDelay(), retry.maxBackoff()))
			.circuitBreakerEnabled(false)
			.build();
	}

	private static AwsCredentialsProvider credentials(S3Location location) {
		if (location.accessKeyId() == null || location.accessKeyId().isBlank()) {
			return DefaultCredentialsProvider.builder().build();
		}
		return StaticCredentialsProvider
			.create(AwsBasicCredentials.create(location.accessKeyId(), location.secretAccessKey()));
	}

}
