package dev.ferry.tabledump;

import java.time.Duration;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * table-dump against the production store, Ceph RGW: SSE-KMS on every object (multipart
 * and single PUT, the manifest too), real part-size rules, and the AWS SDK's checksum
 * defaults switched off where RGW 16 refuses them. RGW 16 also accepts
 * {@code x-amz-server-side-encryption: AES256} and stores the object unencrypted, without
 * an error: table-dump checks what the store answered.
 */
@ExtendWith(CephRgwExtension.class)
@FerryJobTest
class TableDumpOnCephTest {

	static final String KMS_KEY_ID = CephRgwExtension.rgw().kmsKeyId();

	static final TableDumpFixture fixture = new TableDumpFixture(CephRgwExtension.endpoint())
		.with("ferry.table-dump.encryption.algorithm", "AWS_KMS")
		.with("ferry.table-dump.encryption.kms-key-id", KMS_KEY_ID);

	@Autowired
	InProcessCli ferry;

	@Test
	void everyObjectIsEncryptedWithTheConfiguredKmsKey() {
		fixture.createMultipartAndSinglePutTables("events", "codes");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-07-01",
				"tables=public.events,public.codes");
		assertThat(result.exitCode()).as(result.err()).isZero();

		for (String key : new String[] { TableDumpFixture.key("2026-07-01", "public.events"),
				TableDumpFixture.key("2026-07-01", "public.codes"), fixture.manifests("2026-07-01").getFirst() }) {
			HeadObjectResponse head = fixture.s3.headObject(request -> request.bucket(fixture.bucket).key(key));
			assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
			assertThat(head.ssekmsKeyId()).as(key).isEqualTo(KMS_KEY_ID);
		}
		HeadObjectResponse events = fixture.s3.headObject(
				request -> request.bucket(fixture.bucket).key(TableDumpFixture.key("2026-07-01", "public.events")));
		assertThat(events.eTag()).as("a multipart object").matches("\"?[0-9a-f]+-[0-9]+\"?");
		assertThat(fixture.csv(TableDumpFixture.key("2026-07-01", "public.events")))
			.isEqualTo(fixture.copyOut("SELECT * FROM public.events ORDER BY id"));
		assertThat(fixture.openUploads()).isEmpty();
	}

	@Test
	void aStoreThatIgnoresAes256FailsTheDumpBeforeTheManifestAndKeepsNoUnencryptedObject() {
		fixture.createMultipartAndSinglePutTables("big", "small");
		try (FerryProcess ferry = FerryProcess.builder()
			.settings(fixture.settings())
			.env("FERRY_TABLEDUMP_ENCRYPTION_ALGORITHM", "AES256")
			.env("FERRY_TABLEDUMP_ENCRYPTION_KMSKEYID", "")
			.start("run", "tableDump", "runDate=2026-07-02", "tables=public.big,public.small")) {
			assertThat(ferry.waitFor(Duration.ofSeconds(120))).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
		}
		String failure = fixture.repositoryJdbc
			.queryForObject("SELECT string_agg(root_cause, ' | ') FROM ferry_execution_failure", String.class);
		assertThat(failure).contains("did not encrypt s3://" + fixture.bucket + "/exports/2026-07-02/public.big.csv.gz")
			.contains("did not encrypt s3://" + fixture.bucket + "/exports/2026-07-02/public.small.csv.gz")
			.contains("requested AES256 (ferry.table-dump.encryption.algorithm)")
			.contains("reported no server-side encryption")
			.contains(CephRgwExtension.endpoint().uri().toString())
			.contains("use AWS_KMS");
		// the history names the table and the cause first, not the partitioned step's
		// "Partition handler returned an unsuccessful step"
		assertThat(fixture.repositoryJdbc.queryForObject(
				"SELECT exit_message FROM ferry_job_history WHERE parameters LIKE '%2026-07-02%'", String.class))
			.startsWith("Step 'dumpTable:public.")
			.contains("did not encrypt s3://");
		assertThat(fixture.keys()).as("objects left in the bucket").noneMatch(key -> key.contains("2026-07-02"));
		assertThat(fixture.openUploads()).as("open uploads").noneMatch(key -> key.contains("2026-07-02"));
	}

}
