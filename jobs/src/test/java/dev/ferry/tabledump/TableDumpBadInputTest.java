package dev.ferry.tabledump;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.ferry.run.ExitCode;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong settings a user can hand table-dump, each in a real Ferry process: the run fails
 * before any upload, with a message naming the table or the bucket, and never the secret.
 */
@ExtendWith(S3ProxyExtension.class)
class TableDumpBadInputTest {

	static final Duration TIMEOUT = Duration.ofSeconds(120);

	static final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target());

	/** Passwords made up per run: no secret lives in the code. */
	static final String READER_PASSWORD = "reader-" + UUID.randomUUID();

	@BeforeAll
	static void tables() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.readable (id int PRIMARY KEY);
				INSERT INTO public.readable VALUES (1);
				CREATE TABLE public.salaries (id int PRIMARY KEY);
				REVOKE ALL ON public.salaries FROM PUBLIC;
				DO $$ BEGIN
					IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dump_reader') THEN
						CREATE ROLE dump_reader LOGIN PASSWORD '%s';
					END IF;
				END $$;
				GRANT SELECT ON public.readable TO dump_reader;
				""".formatted(READER_PASSWORD));
	}

	FerryProcess run(String runDate, Map<String, String> overrides) {
		return FerryProcess.builder()
			.settings(fixture.settings())
			.envs(overrides)
			.start("run", "tableDump", "runDate=" + runDate, "tables=public.readable,public.salaries");
	}

	@Test
	void aTableWithoutSelectPrivilegeIsNamed() {
		try (FerryProcess ferry = run("2026-08-01", Map.of("FERRY_TABLEDUMP_SOURCE_USERNAME", "dump_reader",
				"FERRY_TABLEDUMP_SOURCE_PASSWORD", READER_PASSWORD))) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			assertThat(ferry.output())
				.contains("Table 'public.salaries': the source user has no SELECT privilege on it")
				.doesNotContain("Table 'public.readable': Data collection started.");
		}
		assertNothingUploaded("2026-08-01");
	}

	@Test
	void wrongSourceCredentialsNameTheProperties() {
		String wrongPassword = "wrong-" + UUID.randomUUID();
		// the embedded server trusts local connections: an unknown user is what it
		// refuses
		try (FerryProcess ferry = run("2026-08-02", Map.of("FERRY_TABLEDUMP_SOURCE_USERNAME", "no_such_user",
				"FERRY_TABLEDUMP_SOURCE_PASSWORD", wrongPassword))) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			assertThat(ferry.output()).contains("refused the credentials (ferry.table-dump.source.username,")
				.doesNotContain(wrongPassword);
		}
		assertNothingUploaded("2026-08-02");
	}

	@Test
	void aMissingBucketIsNamed() {
		try (FerryProcess ferry = run("2026-08-03", Map.of("FERRY_TABLEDUMP_TARGET_BUCKET", "no-such-bucket-here"))) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			assertThat(ferry.output()).contains("The bucket 'no-such-bucket-here' at " + fixture.endpoint.uri()
					+ " does not exist (ferry.table-dump.target.bucket)");
		}
	}

	@Test
	void wrongS3CredentialsAreReportedWithoutTheSecret() {
		String wrongSecret = "wrong-" + UUID.randomUUID();
		try (FerryProcess ferry = run("2026-08-04", Map.of("FERRY_TABLEDUMP_TARGET_SECRETACCESSKEY", wrongSecret))) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			assertThat(ferry.output()).contains("refused the credentials for bucket '" + fixture.bucket + "'")
				.contains("ferry.table-dump.target.secret-access-key")
				.doesNotContain(wrongSecret);
		}
		assertNothingUploaded("2026-08-04");
	}

	@Test
	void secretsReachNeitherTheRepositoryNorTheLog() {
		// the embedded server trusts loopback: any password logs in, what matters is
		// where
		// it goes
		String sourcePassword = "source-" + UUID.randomUUID();
		// and a password written into the URL, as JDBC allows
		String urlPassword = "in-url-" + UUID.randomUUID();
		String url = fixture.source.jdbcUrl() + (fixture.source.jdbcUrl().contains("?") ? "&" : "?") + "password="
				+ urlPassword;
		String output;
		try (FerryProcess ferry = FerryProcess.builder()
			.settings(fixture.settings())
			.env("LOGGING_LEVEL_ROOT", "DEBUG")
			.env("LOGGING_LEVEL_ORG_APACHE_HTTP_WIRE", "INFO")
			.env("FERRY_TABLEDUMP_SOURCE_PASSWORD", sourcePassword)
			.env("FERRY_TABLEDUMP_SOURCE_URL", url)
			.start("run", "tableDump", "runDate=2026-08-05", "tables=public.readable")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
			output = ferry.output();
		}
		String repository = dev.ferry.testjob.RepositoryText.of(fixture.repositoryJdbc);
		assertThat(repository).contains("tableDump.sha256").contains("runDate=2026-08-05");
		assertThat(output).contains("password=***");
		for (String secret : java.util.List.of(sourcePassword, urlPassword, fixture.endpoint.secretKey())) {
			assertThat(repository).doesNotContain(secret);
			assertThat(output).doesNotContain(secret);
		}
	}

	static void assertNothingUploaded(String runDate) {
		assertThat(fixture.keys()).noneMatch(key -> key.contains(runDate));
		assertThat(fixture.openUploads()).noneMatch(key -> key.contains(runDate));
	}

}
