package dev.ferry.tabledump;

import dev.ferry.FerryApplication;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * table-dump against the production store, Ceph RGW: SSE-KMS on every object (multipart
 * and single PUT, the manifest too), real part-size rules, and the AWS SDK's checksum
 * defaults switched off where RGW 16 refuses them.
 */
@ExtendWith(CephRgwExtension.class)
@SpringBootTest(classes = FerryApplication.class)
class TableDumpOnCephTest {

	static final TableDumpFixture fixture = new TableDumpFixture(CephRgwExtension.endpoint());

	static final String KMS_KEY_ID = CephRgwExtension.rgw().kmsKeyId();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		fixture.register(registry, "AWS_KMS", KMS_KEY_ID);
	}

	@Autowired
	ConfigurableApplicationContext context;

	@Test
	void everyObjectIsEncryptedWithTheConfiguredKmsKey() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.events (id bigint PRIMARY KEY, payload text);
				INSERT INTO public.events SELECT g, md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text)
					FROM generate_series(1, 150000) g;
				CREATE TABLE public.codes (code text PRIMARY KEY);
				INSERT INTO public.codes VALUES ('a'), ('b');
				""");
		InProcessCli.Result result = new InProcessCli(this.context).run("run", "tableDump", "runDate=2026-07-01",
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
