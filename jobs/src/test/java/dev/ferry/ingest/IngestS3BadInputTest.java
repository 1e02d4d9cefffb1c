package dev.ferry.ingest;

import java.time.Duration;

import dev.ferry.run.ExitCode;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An s3 source configured wrong, in a real process as a CronJob runs it: each is refused
 * at start, before any execution, with a line naming the source's property to fix.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class })
class IngestS3BadInputTest {

	static final Duration TIMEOUT = Duration.ofSeconds(120);

	final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd());

	@Test
	void anS3SourceWithoutABucketIsAConfigurationError() {
		this.fixture.s3("partner", S3ProxyExtension.source(), "placeholder", "in", null)
			.set("partner", "s3.bucket", "");
		assertRefused("ferry.ingest.sources.partner.s3.bucket: must not be blank");
	}

	@Test
	void movingOntoTheSourcePrefixIsAConfigurationError() {
		this.fixture.s3("partner", S3ProxyExtension.source(), "inbox", "in", null, "post-action=move:in/");
		assertRefused("ferry.ingest.sources.partner.post-action: move:<directory> must be absolute");
	}

	@Test
	void aQuarantineBucketUnderTheSourcePrefixIsAConfigurationError() {
		this.fixture.s3("partner", S3ProxyExtension.target(), "inbox", "in", "inbox", "recursive=true")
			.set("partner", "quarantine-bucket.prefix", "in/quarantine");
		assertRefused("ferry.ingest.sources.partner.quarantine-bucket: exactly one of quarantine-dir and"
				+ " quarantine-bucket must be set, and the bucket must not be under");
	}

	private void assertRefused(String message) {
		try (FerryProcess ferry = FerryProcess.builder()
			.settings(this.fixture.settings())
			.start("run", "ingest", "source=partner", "runDate=2026-12-01")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains(message);
		}
		assertThat(this.fixture.jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Integer.class))
			.as("executions")
			.isZero();
	}

}
