package dev.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.RepositoryText;
import dev.ferry.testjob.TestJobDatabase;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ferry's start-up path in a real process: bad configuration fails fast and names the
 * property, and configured secrets never reach the job repository or the log.
 */
class StartupChecksTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	FerryProcess.Builder ferry() {
		return FerryProcess.builder().repository(db.database()).env("FERRY_TESTJOB_ENABLED", "true");
	}

	@Test
	void helpNeedsNoDatabaseAndListsEveryCommand() {
		try (FerryProcess help = FerryProcess.builder().start("--help")) {
			assertThat(help.waitFor(TIMEOUT)).isZero();
			assertThat(help.output()).contains("run ", "restart ", "recover ", "stop ", "history ", "show ", "jobs ");
		}
	}

	@Test
	void anUnreachableDatabaseIsReportedWithItsProperty() {
		try (FerryProcess ferry = FerryProcess.builder()
			.env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/ferry")
			.env("SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT", "1")
			.start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output())
				.contains("ferry: could not connect to the job repository database" + " (spring.datasource.url)");
		}
	}

	@Test
	void aMissingDatabaseUrlIsReportedWithItsProperty() {
		try (FerryProcess ferry = FerryProcess.builder().start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains("set spring.datasource.url");
		}
	}

	@Test
	void aStartUpFailureIsToldOnceInOneLineWithoutSpringBootsReport() {
		try (FerryProcess ferry = FerryProcess.builder().start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output().lines().filter(line -> line.contains("spring.datasource.url"))).as(ferry.output())
				.containsExactly("ferry: the job repository database is not configured: set spring.datasource.url"
						+ " (environment SPRING_DATASOURCE_URL=jdbc:postgresql://host:5432/ferry): Failed to determine"
						+ " a suitable driver class");
			assertThat(ferry.output()).doesNotContain("APPLICATION FAILED TO START", "Application run failed");
		}
		try (FerryProcess ferry = FerryProcess.builder()
			.env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/ferry")
			.env("SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT", "1")
			.start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output().lines().filter(line -> line.startsWith("ferry: "))).as(ferry.output())
				.containsExactly("ferry: could not connect to the job repository database (spring.datasource.url):"
						+ " Connection to 127.0.0.1:1 refused. Check that the hostname and port are correct and that"
						+ " the postmaster is accepting TCP/IP connections.");
			assertThat(ferry.output()).doesNotContain("APPLICATION FAILED TO START", "Application run failed");
		}
	}

	@Test
	void aMalformedZoneIsReportedWithItsProperty() {
		try (FerryProcess ferry = ferry().env("FERRY_ZONE", "Mars/Olympus_Mons").start("jobs")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output())
				.contains("ferry: invalid configuration: property 'ferry.zone' = 'Mars/Olympus_Mons'");
		}
	}

	@Test
	void aNegativeProgressIntervalIsReportedWithItsProperty() {
		try (FerryProcess ferry = ferry().env("FERRY_PROGRESSINTERVAL", "-5s").start("jobs")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains("ferry.progress-interval must be a positive duration");
		}
	}

	@Test
	void aMissingBucketAndAMalformedEndpointAreReportedWithTheirProperties() {
		try (FerryProcess ferry = ferry().env("FERRY_TESTJOB_TARGET_ENDPOINT", "htp:/s3 .example.com").start("jobs")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains("ferry: invalid configuration: ")
				.contains("ferry.test-job.target.endpoint: must be an http or https URL with a host");
		}
		try (FerryProcess ferry = ferry().env("FERRY_TESTJOB_TARGET_ENDPOINT", "ftp://s3.example.com").start("jobs")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(ferry.output()).contains("ferry.test-job.target.bucket: must not be blank (value: null)")
				.contains("ferry.test-job.target.endpoint: must be an http or https URL with a host");
		}
	}

	@Test
	void configuredSecretsReachNeitherTheRepositoryNorTheLog(@TempDir Path secrets) throws IOException {
		// the test database trusts loopback, so any password logs in: what matters is
		// where it goes
		String envSecret = "env-" + UUID.randomUUID();
		String fileSecret = "file-" + UUID.randomUUID();
		String s3Secret = "s3-" + UUID.randomUUID();
		Files.writeString(secrets.resolve("spring.datasource.password"), fileSecret);
		List<String> output = new ArrayList<>();
		try (FerryProcess ferry = ferry().env("SPRING_DATASOURCE_PASSWORD", envSecret)
			.env("FERRY_TESTJOB_TARGET_ENDPOINT", "http://127.0.0.1:9")
			.env("FERRY_TESTJOB_TARGET_BUCKET", "bucket")
			.env("FERRY_TESTJOB_TARGET_ACCESSKEYID", "AKIATEST")
			.env("FERRY_TESTJOB_TARGET_SECRETACCESSKEY", s3Secret)
			.env("LOGGING_LEVEL_ROOT", "DEBUG")
			.start("run", "countingJob", "runDate=2026-04-01", "items=20")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
			output.add(ferry.output());
		}
		db.jdbc().execute("TRUNCATE test_sink");
		try (FerryProcess ferry = ferry().env("SPRING_DATASOURCE_PASSWORD", "")
			.env("FERRY_SECRETS_DIR", secrets.toString())
			.env("FERRY_TESTJOB_FAILAT", "7")
			.start("run", "countingJob", "runDate=2026-04-02", "items=20")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			output.add(ferry.output());
		}
		String repository = RepositoryText.of(db.jdbc());
		assertThat(repository).contains("runDate").contains("countingStep");
		for (String secret : List.of(envSecret, fileSecret, s3Secret)) {
			assertThat(repository).doesNotContain(secret);
			assertThat(output).noneMatch(log -> log.contains(secret));
		}
	}

}
