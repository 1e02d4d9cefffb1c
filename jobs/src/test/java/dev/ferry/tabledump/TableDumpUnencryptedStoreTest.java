package dev.ferry.tabledump;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ceph RGW 16 accepts {@code x-amz-server-side-encryption: AES256} and stores the object
 * unencrypted, without an error. table-dump checks what the store answered: the tables
 * fail before the manifest, the message names the property, the store and what it
 * reported, and no unencrypted object or open upload stays behind.
 */
@ExtendWith(CephRgwExtension.class)
@FerryJobTest
class TableDumpUnencryptedStoreTest {

	static final TableDumpFixture fixture = new TableDumpFixture(CephRgwExtension.endpoint())
		.with("ferry.table-dump.encryption.algorithm", "AES256");

	@Autowired
	InProcessCli ferry;

	@Test
	void aStoreThatIgnoresAes256FailsTheDumpBeforeTheManifestAndKeepsNoUnencryptedObject() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.big (id bigint PRIMARY KEY, payload text);
				INSERT INTO public.big SELECT g, md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text)
					FROM generate_series(1, 150000) g;
				CREATE TABLE public.small (code text PRIMARY KEY);
				INSERT INTO public.small VALUES ('a'), ('b');
				""");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-07-02",
				"tables=public.big,public.small");

		assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.FAILED.code());
		String failure = fixture.repositoryJdbc
			.queryForObject("SELECT string_agg(root_cause, ' | ') FROM ferry_execution_failure", String.class);
		assertThat(failure).contains("did not encrypt s3://" + fixture.bucket + "/exports/2026-07-02/public.big.csv.gz")
			.contains("did not encrypt s3://" + fixture.bucket + "/exports/2026-07-02/public.small.csv.gz")
			.contains("requested AES256 (ferry.table-dump.encryption.algorithm)")
			.contains("reported no server-side encryption")
			.contains(CephRgwExtension.endpoint().uri().toString())
			.contains("use AWS_KMS");
		assertThat(fixture.keys()).as("objects left in the bucket").isEmpty();
		assertThat(fixture.openUploads()).as("open uploads").isEmpty();
	}

}
