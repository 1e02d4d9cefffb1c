package dev.ferry.tabledump;

import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * table-dump against the production store, Ceph RGW: SSE-KMS on every object (multipart
 * and single PUT, the manifest too), real part-size rules, and the AWS SDK's checksum
 * defaults switched off where RGW 16 refuses them.
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
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.events (id bigint PRIMARY KEY, payload text);
				INSERT INTO public.events SELECT g, md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text)
					FROM generate_series(1, 150000) g;
				CREATE TABLE public.codes (code text PRIMARY KEY);
				INSERT INTO public.codes VALUES ('a'), ('b');
				""");
		InProcessCli.Result result = this.ferry.run("run", "tableDump", "runDate=2026-07-01",
				"tables=public.events,public.codes");
		assertThat(result.exitCode()).as(result.err()).isZero();

		for (String key : new String[] { TableDumpFixture.key("2026-07-01", "public.events"),
				TableDumpFixture.key("2026-07-01", "public.codes"), "exports/2026-07-01/manifest.json" }) {
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

}
