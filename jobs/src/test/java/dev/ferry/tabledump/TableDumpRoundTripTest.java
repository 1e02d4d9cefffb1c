package dev.ferry.tabledump;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testjob.InProcessCli.Result;
import dev.ferry.testkit.S3ProxyExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What table-dump writes loads back into an identical table, and a dump that fails
 * half-way resumes into exactly the bytes PostgreSQL's own COPY writes.
 */
@ExtendWith(S3ProxyExtension.class)
@FerryJobTest
class TableDumpRoundTripTest {

	static final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target());

	@Autowired
	InProcessCli ferry;

	@BeforeAll
	static void tables() {
		fixture.sourceJdbc.execute(
				"""
						CREATE TABLE public.all_types (
							id bigint PRIMARY KEY, t text, n numeric, f8 double precision, f4 real, tstz timestamptz,
							ts timestamp, d date, iv interval, u uuid, j jsonb, b bytea, ia int[], ta text[], bo boolean,
							vc varchar(40), ch char(3), tm time);
						INSERT INTO public.all_types VALUES
							(1, 'plain', 1.5, 'NaN', 'Infinity', '2026-01-01 00:00:00+00', '2026-01-01 12:00', '2026-01-01',
								'1 day 02:03:04', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, "x,y", null]}',
								'\\x00ff', '{1,2,NULL}', '{"a,b","c\\"d",NULL,""}', true, 'v', 'abc', '23:59:59.999999'),
							(2, 'quotes "x" , comma', -0.000001, '-Infinity', '-Infinity', '1970-01-01 00:00:00+05:30',
								'0001-01-01 00:00', '4713-01-01 BC', '-1 year -2 mons +3 days -04:05:06.5', NULL, '"text"',
								'\\x', '{}', '{}', false, '', ' x', '00:00'),
							(3, E'new\\nline\\r\\ncr\\ttab\\\\backslash', 12345678901234567890.123456789, 1e-300, -0.0,
								'infinity', '-infinity', 'infinity', '0', NULL, '[]', '\\xdeadbeef', '{{1,2},{3,4}}',
								'{"new\\nline"}', NULL, 'x', NULL, NULL),
							(4, 'unicode: żółć 漢字 😀 ‮ rtl', 'NaN', 2.5e300, 3.4e38, '2026-06-30 23:59:60+00', NULL, NULL,
								NULL, NULL, '{"k": "\\u00e9\\n"}', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
							(5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
								NULL, NULL),
							(6, '', 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 'null', NULL, NULL, '{NULL}', NULL, NULL, NULL,
								NULL),
							(7, E'\\\\.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
								NULL, NULL),
							(8, E'\\\\.\\n\\\\.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
								NULL, NULL, NULL),
							(9, '"', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
								NULL, NULL),
							(10, ',', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
								NULL, NULL);
						-- enough rows of every type for several 5 MiB parts
						INSERT INTO public.all_types
							SELECT g, md5(g::text) || E',"\\n' || md5((g * 7)::text), g * 1.01, g / 3.0, g / 7.0,
								'2026-01-01'::timestamptz + g * interval '1 second', '2026-01-01'::timestamp + g * interval '1 ms',
								'2026-01-01'::date + (g % 1000), g * interval '1 minute', md5(g::text)::uuid,
								jsonb_build_object('g', g, 's', md5(g::text)), decode(md5(g::text), 'hex'),
								ARRAY[g, g + 1], ARRAY[md5(g::text), NULL], g % 2 = 0, left(md5(g::text), 40), 'c',
								'12:00'::time + g * interval '1 ms'
							FROM generate_series(100, 120099) g;
						-- generated columns are left out, as COPY table TO leaves them out
						CREATE TABLE public.with_generated (id int PRIMARY KEY, price numeric, qty int,
							total numeric GENERATED ALWAYS AS (price * qty) STORED, note text);
						INSERT INTO public.with_generated (id, price, qty, note)
							SELECT g, g / 4.0, g % 7, 'n' || g FROM generate_series(1, 1000) g;
						-- a composite key whose text part needs quoting in CSV and in SQL; enough rows for
						-- several parts, so that a session can be killed while parts remain
						CREATE TABLE public.composite (region text, seq int, payload text, PRIMARY KEY (region, seq));
						INSERT INTO public.composite
							SELECT 'r' || (g % 5) || E' \\'q\\', "x"\\n', g, md5(g::text) || md5((-g)::text) || md5((g * 3)::text)
							FROM generate_series(1, 500000) g;
						""");
	}

	@Test
	void everyTypeRoundTripsThroughCopyFrom() {
		Result result = ferry("run", "tableDump", "runDate=2026-10-01", "tables=public.all_types,public.composite");
		assertThat(result.exitCode()).as(result.err()).isZero();

		byte[] allTypes = fixture.csv(TableDumpFixture.key("2026-10-01", "public.all_types"));
		assertThat(allTypes).isEqualTo(fixture.copyOut("SELECT * FROM public.all_types ORDER BY id"));
		fixture.sourceJdbc.execute("CREATE TABLE public.all_types_loaded (LIKE public.all_types INCLUDING ALL)");
		assertThat(fixture.copyIn("public.all_types_loaded", allTypes)).isEqualTo(120_010);
		assertThat(fixture.contentHash("public.all_types_loaded", "id"))
			.isEqualTo(fixture.contentHash("public.all_types", "id"));

		byte[] composite = fixture.csv(TableDumpFixture.key("2026-10-01", "public.composite"));
		assertThat(composite).isEqualTo(fixture.copyOut("SELECT * FROM public.composite ORDER BY region, seq"));
		assertThat(fixture.openUploads()).isEmpty();
		// both tables span several parts: each part one gzip member
		assertThat(members(fixture.object(TableDumpFixture.key("2026-10-01", "public.composite")))).isGreaterThan(1);
	}

	@Test
	void generatedColumnsAreLeftOutSoThatCopyFromLoadsTheDumpAndComputesThemAgain() {
		Result result = ferry("run", "tableDump", "runDate=2026-10-04", "tables=public.with_generated");
		assertThat(result.exitCode()).as(result.err()).isZero();

		byte[] csv = fixture.csv(TableDumpFixture.key("2026-10-04", "public.with_generated"));
		assertThat(new String(csv, StandardCharsets.UTF_8)).startsWith("id,price,qty,note\n");
		assertThat(csv)
			.isEqualTo(fixture.copyOut("SELECT id, price, qty, note FROM public.with_generated ORDER BY id"));
		fixture.sourceJdbc
			.execute("CREATE TABLE public.with_generated_loaded (LIKE public.with_generated INCLUDING ALL)");
		assertThat(fixture.copyIn("public.with_generated_loaded", csv)).isEqualTo(1000);
		assertThat(fixture.contentHash("public.with_generated_loaded", "id"))
			.isEqualTo(fixture.contentHash("public.with_generated", "id"));
	}

	@Test
	void aDumpWhoseSourceSessionDiesResumesAfterTheLastUploadedPart() throws Exception {
		Result failed = failMidway("2026-10-02");
		assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.openUploads()).containsExactly(TableDumpFixture.key("2026-10-02", "public.composite"));

		Result resumed = ferry("run", "tableDump", "runDate=2026-10-02", "tables=public.composite");
		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		assertThat(fixture.csv(TableDumpFixture.key("2026-10-02", "public.composite")))
			.isEqualTo(fixture.copyOut("SELECT * FROM public.composite ORDER BY region, seq"));
		assertThat(fixture.openUploads()).isEmpty();
		// rows written by the failed run and by the resumed one add up to the table:
		// nothing was sent twice as far as the checkpoints know
		List<Long> written = fixture.writeCounts("public.composite", "2026-10-02");
		assertThat(written).hasSize(2);
		assertThat(written.get(0)).isPositive();
		assertThat(written.get(0) + written.get(1)).isEqualTo(500_000);
	}

	@Test
	void aFailedDumpThatIsAbandonedLeavesNoUploadBehind() throws Exception {
		Result failed = failMidway("2026-10-03");
		long executionId = fixture.repositoryJdbc.queryForObject(
				"SELECT max(execution_id) FROM ferry_job_history WHERE parameters LIKE '%2026-10-03%'", Long.class);
		assertThat(failed.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.openUploads()).containsExactly(TableDumpFixture.key("2026-10-03", "public.composite"));

		Result abandoned = ferry("abandon", Long.toString(executionId));
		assertThat(abandoned.exitCode()).as(abandoned.err()).isZero();
		assertThat(abandoned.out()).contains("is ABANDONED (aborted multipart upload");
		assertThat(fixture.openUploads()).isEmpty();
		assertThat(fixture.keys()).noneMatch(key -> key.contains("2026-10-03"));
		assertThat(fixture.repositoryJdbc.queryForObject("SELECT status FROM ferry_job_history WHERE execution_id = ?",
				String.class, executionId))
			.isEqualTo("ABANDONED");

		Result again = ferry("run", "tableDump", "runDate=2026-10-03", "tables=public.composite");
		assertThat(again.exitCode()).isEqualTo(ExitCode.NOT_RESTARTABLE.code());
	}

	/** Starts a dump of public.composite and kills its source session after one part. */
	Result failMidway(String runDate) throws Exception {
		CompletableFuture<Result> run = CompletableFuture
			.supplyAsync(() -> ferry("run", "tableDump", "runDate=" + runDate, "tables=public.composite"));
		Awaitility.await("a first part of " + runDate + " uploaded")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> fixture.uploadedParts("exports/" + runDate) >= 1 || run.isDone());
		assertThat(fixture.killDumpSessions()).as("a dump session to kill").isEqualTo(1);
		return run.get(60, TimeUnit.SECONDS);
	}

	/** Counts gzip members by their magic bytes at member starts. */
	static int members(byte[] gzip) {
		int count = 0;
		java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
		int offset = 0;
		try {
			while (offset < gzip.length) {
				assertThat(gzip[offset] & 0xff).isEqualTo(0x1f);
				assertThat(gzip[offset + 1] & 0xff).isEqualTo(0x8b);
				inflater.reset();
				inflater.setInput(gzip, offset + 10, gzip.length - offset - 10);
				byte[] sink = new byte[64 * 1024];
				while (!inflater.finished()) {
					inflater.inflate(sink);
				}
				offset = gzip.length - inflater.getRemaining() + 8;
				count++;
			}
		}
		catch (java.util.zip.DataFormatException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			inflater.end();
		}
		return count;
	}

	Result ferry(String... args) {
		return this.ferry.run(args);
	}

}
