package dev.ferry.mirror;

import java.time.Duration;

import dev.ferry.run.ExitCode;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator can get wrong about a mirror, tried in a real process as a CronJob
 * runs it: each fails before any object is copied, with a line that names the property to
 * fix, and never shows a secret.
 */
@ExtendWith(S3ProxyExtension.class)
class MirrorBadInputTest {

	static final Duration TIMEOUT = Duration.ofSeconds(120);

	final MirrorFixture fixture = new MirrorFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.mirror("datahub");

	FerryProcess.Builder ferry() {
		return FerryProcess.builder().settings(this.fixture.settings());
	}

	@Test
	void aTargetInsideTheSourceIsAConfigurationErrorBeforeAnythingRuns() {
		String bucket = this.fixture.pair("datahub").source();
		try (FerryProcess ferry = ferry()
			.env("FERRY_S3MIRROR_MIRRORS_DATAHUB_TARGET_ENDPOINT", S3ProxyExtension.source().uri().toString())
			.env("FERRY_S3MIRROR_MIRRORS_DATAHUB_TARGET_BUCKET", bucket)
			.env("FERRY_S3MIRROR_MIRRORS_DATAHUB_TARGET_PREFIX", "src/copies")
			.env("FERRY_S3MIRROR_MIRRORS_DATAHUB_TARGET_ACCESSKEYID", S3ProxyExtension.source().accessKey())
			.env("FERRY_S3MIRROR_MIRRORS_DATAHUB_TARGET_SECRETACCESSKEY", S3ProxyExtension.source().secretKey())
			.start("run", "s3Mirror", "mirror=datahub", "runDate=2026-12-01")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output())
				.contains("ferry.s3-mirror.mirrors.datahub.target: must not be the source or" + " overlap it");
		}
		assertThat(
				this.fixture.repositoryJdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Integer.class))
			.as("executions")
			.isZero();
	}

	@Test
	void aMalformedSettingOfOneMirrorIsAConfigurationErrorThatNamesIt() {
		try (FerryProcess ferry = ferry().env("FERRY_S3MIRROR_MIRRORS_DATAHUB_MAXDELETE", "lots")
			.env("FERRY_S3MIRROR_MIRRORS_DATAHUB_CONCURRENCY", "0")
			.start("run", "s3Mirror", "mirror=datahub", "runDate=2026-12-03")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains("ferry.s3-mirror.mirrors.datahub.max-delete")
				.contains("must be a count (500) or a percentage (10%)")
				.contains("ferry.s3-mirror.mirrors.datahub.concurrency");
		}
		assertThat(this.fixture.targetObjects("datahub")).as("objects copied").isEmpty();
	}

	@Test
	void refusedTargetCredentialsNameThePropertiesAndNeverTheSecret() {
		this.fixture.putSource("datahub", "a.txt", "alpha".getBytes());
		String wrongSecret = "wrong-" + java.util.UUID.randomUUID();
		try (FerryProcess ferry = ferry().env("FERRY_S3MIRROR_MIRRORS_DATAHUB_TARGET_SECRETACCESSKEY", wrongSecret)
			.start("run", "s3Mirror", "mirror=datahub", "runDate=2026-12-02")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			assertThat(ferry.output()).contains("refused the credentials")
				.contains("ferry.s3-mirror.mirrors.datahub.target.access-key-id")
				.doesNotContain(wrongSecret);
		}
		assertThat(this.fixture.targetObjects("datahub")).as("objects copied").isEmpty();
	}

	@Test
	void theBucketCommandsCheckEachMirrorsTarget() {
		try (FerryProcess ferry = ferry().start("bucket-check", "--job", "s3Mirror")) {
			// S3Proxy has neither default encryption nor lifecycle rules: what matters
			// here
			// is that the check reached the mirror's target bucket, not the source
			assertThat(ferry.waitFor(TIMEOUT)).isNotZero();
			assertThat(ferry.output()).contains("bucket '" + this.fixture.pair("datahub").target() + "'")
				.doesNotContain(this.fixture.pair("datahub").source());
		}
		try (FerryProcess ferry = ferry().start("bucket-check", "--job", "noSuchJob")) {
			assertThat(ferry.waitFor(TIMEOUT)).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains("job 'noSuchJob' writes to no configured bucket");
		}
	}

}
