package dev.ferry.common.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.RetryStrategy;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class S3ClientFactoryTest {

	@Test
	void retrySettingsBindFromConfigurationWithTheirDefaults() {
		S3Location configured = bind(Map.of("endpoint", "http://rgw:7480", "bucket", "b", "retry.max-attempts", "3",
				"retry.base-delay", "1s"));
		assertThat(configured.retry())
			.isEqualTo(new S3Location.Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(20)));

		S3Location defaults = bind(Map.of("endpoint", "http://rgw:7480", "bucket", "b"));
		assertThat(defaults.retry()).isEqualTo(S3Location.Retry.DEFAULT);
	}

	@Test
	void theClientRetriesAsConfiguredWithoutTheSdksRetryQuota() {
		RetryStrategy strategy = S3ClientFactory
			.retryStrategy(new S3Location.Retry(7, Duration.ofMillis(50), Duration.ofSeconds(2)));
		assertThat(strategy.maxAttempts()).isEqualTo(7);
		// without the quota, a long outage is retried as often as configured, however
		// many
		// requests failed before
		assertThat(strategy.toBuilder().build().maxAttempts()).isEqualTo(7);
	}

	@Test
	void anEndpointWithAPasswordIsShownMasked() {
		// made up per run: no secret lives in the code
		String password = "pw" + UUID.randomUUID().toString().replace("-", "");
		String secretKey = "sk" + UUID.randomUUID().toString().replace("-", "");
		S3Location location = new S3Location(URI.create("https://minio:" + password + "@s3.internal:9000"), "us-east-1",
				"b", "", true, S3Location.ChecksumMode.WHEN_REQUIRED, "ak", secretKey);
		assertThat(location.displayEndpoint()).isEqualTo("https://minio:***@s3.internal:9000");
		assertThat(location.toString()).doesNotContain(password).doesNotContain(secretKey);
	}

	private static S3Location bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bind("", Bindable.of(S3Location.class)).get();
	}

}
