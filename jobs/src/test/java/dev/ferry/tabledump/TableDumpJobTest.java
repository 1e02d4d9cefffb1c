package dev.ferry.tabledump;

import java.nio.charset.StandardCharsets;

import dev.ferry.common.transfer.Digests;
import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * table-dump end to end in one process, against embedded PostgreSQL and S3Proxy: the
 * layout, the markers, tables without a key, and every wrong table a user can name.
 */
@ExtendWith(S3ProxyExtension.class)
@FerryJobTest
class TableDumpJobTest {

	static final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target())
		.with("ferry.table-dump.pipeline-success-flag", "true");

	@Autowired
	InProcessCli ferry;

	@Test
	void smallTablesAreOnePutEachFollowedByTheManifestAndTheFlag() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.small (id int PRIMARY KEY, name text);
				INSERT INTO public.small VALUES (1, 'a'), (2, 'b,"c"'), (3, NULL), (4, '');
				CREATE TABLE public.empty (id int PRIMARY KEY);
				CREATE SCHEMA "Sales";
				CREATE TABLE "Sales"."Order Lines" (id int PRIMARY KEY, qty int);
				INSERT INTO "Sales"."Order Lines" VALUES (7, 3);
				""");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-11-01",
				"tables=public.small,empty,\"Sales\".\"Order Lines\"");
		assertThat(result.exitCode()).as(result.err()).isZero();

		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-01", "public.small"))))
			.isEqualTo("id,name\n1,a\n2,\"b,\"\"c\"\"\"\n3,\n4,\"\"\n");
		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-01", "empty")))).isEqualTo("id\n");
		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-01", "Sales.Order Lines"))))
			.isEqualTo("id,qty\n7,3\n");
		// a single PUT has a plain MD5 ETag, a multipart upload one ending in -<parts>
		String eTag = fixture.s3
			.headObject(
					request -> request.bucket(fixture.bucket).key(TableDumpFixture.key("2026-11-01", "public.small")))
			.eTag();
		assertThat(eTag).doesNotContain("-");

		assertThat(fixture.manifests("2026-11-01")).hasSize(1);
		String manifest = text(fixture.object(fixture.manifests("2026-11-01").getFirst()));
		byte[] small = fixture.object(TableDumpFixture.key("2026-11-01", "public.small"));
		assertThat(manifest).contains("\"runDate\" : \"2026-11-01\"")
			.contains("\"table\" : \"public.small\"")
			.contains("\"key\" : \"exports/2026-11-01/public.small.csv.gz\"")
			.contains("\"rows\" : 4")
			.contains("\"bytes\" : " + small.length)
			.contains("\"sha256\" : \"" + sha256(small) + "\"")
			.contains("\"table\" : \"\\\"Sales\\\".\\\"Order Lines\\\"\"");
		assertThat(fixture.keys()).contains("exports/2026-11-01/pipeline_success.flag");
		assertThat(fixture.openUploads()).isEmpty();

		InProcessCli.Result again = this.ferry.run("run", "tableDump", "runDate=2026-11-01",
				"tables=public.small,empty,\"Sales\".\"Order Lines\"");
		assertThat(again.exitCode()).isZero();
		assertThat(again.out()).contains("already completed");
	}

	@Test
	void aTableWithoutPrimaryKeyIsDumpedInOnePassOfSeveralParts() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.log_lines (at timestamptz, line text);
				INSERT INTO public.log_lines SELECT '2026-01-01'::timestamptz + g * interval '1 s',
					md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text) FROM generate_series(1, 120000) g;
				""");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-11-02",
				"tables=public.log_lines");
		assertThat(result.exitCode()).as(result.err()).isZero();
		byte[] object = fixture.object(TableDumpFixture.key("2026-11-02", "public.log_lines"));
		assertThat(TableDumpRoundTripTest.members(object)).isGreaterThan(1);
		assertThat(fixture.csv(TableDumpFixture.key("2026-11-02", "public.log_lines")))
			.isEqualTo(fixture.copyOut("SELECT * FROM public.log_lines"));
		assertThat(fixture.repositoryJdbc.queryForObject(
				"SELECT write_count FROM ferry_step_history WHERE step = 'dumpTable:public.log_lines'", Long.class))
			.isEqualTo(120_000);
		// the partitioned step does not add its partitions' rows a second time
		assertThat(fixture.repositoryJdbc.queryForObject(
				"SELECT read_count || '/' || write_count FROM ferry_job_history WHERE parameters LIKE '%2026-11-02%'",
				String.class))
			.isEqualTo("120000/120000");
	}

	@Test
	void aNameThatIsNotAnIdentifierIsAUsageErrorAndNothingRuns() {
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-11-03",
				"tables=public.ok,users; drop table x");
		assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(result.err()).contains("'users; drop table x' is not a table name");
		assertThat(fixture.repositoryJdbc.queryForObject(
				"SELECT count(*) FROM ferry_job_history WHERE parameters LIKE '%2026-11-03%'", Integer.class))
			.isZero();
	}

	@Test
	void aMissingTableFailsBeforeAnyUploadAndNamesTheTable() {
		fixture.sourceJdbc
			.execute("CREATE TABLE public.present (id int PRIMARY KEY); INSERT INTO public.present VALUES (1)");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-11-04",
				"tables=public.present,public.absent");
		assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(failure("2026-11-04")).contains("Table 'public.absent' does not exist in the source database");
		assertThat(fixture.keys()).noneMatch(key -> key.contains("2026-11-04"));
		assertThat(fixture.openUploads()).noneMatch(key -> key.contains("2026-11-04"));
	}

	@Test
	void tablesWhoseNamesOnceMappedToOneKeyGetAnObjectEach() {
		fixture.sourceJdbc.execute("""
				CREATE SCHEMA s;
				CREATE TABLE s.t (id int PRIMARY KEY);
				INSERT INTO s.t VALUES (1);
				CREATE TABLE public."s.t" (id int PRIMARY KEY);
				INSERT INTO public."s.t" VALUES (2);
				CREATE TABLE public."../up" (id int PRIMARY KEY);
				INSERT INTO public."../up" VALUES (3);
				""");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-11-05",
				"tables=s.t,\"s.t\",public.\"../up\"");
		assertThat(result.exitCode()).as(result.err()).isZero();

		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-05", "s.t")))).isEqualTo("id\n1\n");
		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-05", "s%2Et")))).isEqualTo("id\n2\n");
		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-05", "public.%2E%2E%2Fup")))).isEqualTo("id\n3\n");
	}

	@Test
	void anInstanceNeverOverwritesWhatAnotherInstanceWroteInTheSameFolder() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.first (id int PRIMARY KEY);
				INSERT INTO public.first VALUES (1);
				CREATE TABLE public.shared (id int PRIMARY KEY);
				INSERT INTO public.shared VALUES (2);
				CREATE TABLE public.third (id int PRIMARY KEY);
				INSERT INTO public.third VALUES (3);
				""");
		InProcessCli.Result first = this.ferry.run("run", "tableDump", "runDate=2026-11-06",
				"tables=public.first,public.shared");
		assertThat(first.exitCode()).as(first.err()).isZero();
		String shared = TableDumpFixture.key("2026-11-06", "public.shared");
		byte[] sharedBefore = fixture.object(shared);
		String firstManifest = fixture.manifests("2026-11-06").getFirst();
		byte[] manifestBefore = fixture.object(firstManifest);
		fixture.sourceJdbc.execute("UPDATE public.shared SET id = 20");

		InProcessCli.Result overlapping = this.ferry.run("run", "tableDump", "runDate=2026-11-06",
				"tables=public.third,public.shared");
		assertThat(overlapping.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(failure("tables=public.third,public.shared")).contains("would overwrite what another wrote")
			.contains("s3://" + fixture.bucket + "/" + shared + " was written by job instance")
			.contains("tableDump/")
			.contains("Nothing was uploaded");
		assertThat(fixture.keys()).doesNotContain(TableDumpFixture.key("2026-11-06", "public.third"));
		assertThat(fixture.object(shared)).isEqualTo(sharedBefore);

		InProcessCli.Result disjoint = this.ferry.run("run", "tableDump", "runDate=2026-11-06", "tables=public.third");
		assertThat(disjoint.exitCode()).as(disjoint.err()).isZero();
		assertThat(fixture.manifests("2026-11-06")).hasSize(2).contains(firstManifest);
		assertThat(fixture.object(firstManifest)).isEqualTo(manifestBefore);
		assertThat(text(fixture.csv(TableDumpFixture.key("2026-11-06", "public.third")))).isEqualTo("id\n3\n");
	}

	String failure(String runDate) {
		return fixture.repositoryJdbc.queryForObject("""
				SELECT string_agg(root_cause, ' | ') FROM ferry_execution_failure WHERE job_execution_id =
				(SELECT max(execution_id) FROM ferry_job_history WHERE parameters LIKE ?)""", String.class,
				"%" + runDate + "%");
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	static String sha256(byte[] bytes) {
		return java.util.HexFormat.of().formatHex(Digests.sha256().digest(bytes));
	}

}
