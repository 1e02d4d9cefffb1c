package dev.ferry.mirror;

import java.util.Map;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.ferry.mirror.MirrorJobTest.bytes;
import static dev.ferry.mirror.MirrorJobTest.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routed egress as in production: from S3 (S3Proxy) to a destination bucket on the real
 * Ceph RGW, every object written with SSE-KMS. A flag sends its folder once (a small
 * object, an empty one, a multipart one, the flag last), each object encrypted with the
 * configured KMS key as its HEAD shows; a second run sends nothing. bucket-check and
 * bucket-setup know the destinations of the routes.
 */
@ExtendWith({ S3ProxyExtension.class, CephRgwExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class RouteEgressOnCephTest {

	static final EgressFixture fixture = new EgressFixture(S3ProxyExtension.source(), CephRgwExtension.endpoint())
		.source("rgw", "ferry.s3-egress.targets." + EgressFixture.TARGET + ".encryption.algorithm=AWS_KMS",
				"ferry.s3-egress.targets." + EgressFixture.TARGET + ".encryption.kms-key-id="
						+ CephRgwExtension.rgw().kmsKeyId());

	@Autowired
	InProcessCli ferry;

	@Test
	void aFlagSendsItsFolderToRgwOnceEncryptedWithKms(CapturedOutput log) {
		String destination = fixture.targetEndpoint.createBucket("eg-rgw");
		fixture.repositoryJdbc.update("""
				INSERT INTO ferry_route (source_bucket, source_prefix, pipeline_name, transfer_type,
					destination_endpoint, destination_bucket, destination_prefix, recipient)
				VALUES (?, 'exports/', 'datahub', 'S3', ?, ?, 'datahub/', 'team-a')""", fixture.bucket("rgw"),
				EgressFixture.TARGET, destination);
		byte[] large = random(11 * 1024 * 1024 + 5, 11);
		fixture.put("rgw", "exports/2026-12-01/a.csv.gz", bytes("rows"));
		fixture.put("rgw", "exports/2026-12-01/empty.csv.gz", new byte[0]);
		fixture.put("rgw", "exports/2026-12-01/sub/large.bin", large);
		fixture.flag("rgw", "exports/2026-12-01/");
		fixture.put("rgw", "other/2026-12-01/not-routed.csv", bytes("stays"));

		InProcessCli.Result first = this.ferry.run("run", "s3Egress", "source=rgw", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err()).isZero();
		Map<String, byte[]> source = fixture.sourceObjects("rgw", "exports");
		Map<String, byte[]> sent = fixture.targetObjects(destination, "datahub");
		assertThat(sent.keySet()).containsExactlyElementsOf(source.keySet())
			.contains("2026-12-01/pipeline_success.flag", "2026-12-01/sub/large.bin");
		source.forEach((key, content) -> assertThat(sent.get(key)).as(key).isEqualTo(content));
		String kmsKeyId = CephRgwExtension.rgw().kmsKeyId();
		for (String key : sent.keySet()) {
			HeadObjectResponse head = fixture.target.headObject(r -> r.bucket(destination).key("datahub/" + key));
			assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
			assertThat(head.ssekmsKeyId()).as(key).isEqualTo(kmsKeyId);
			assertThat(head.metadata()).as(key).containsKey("ferry-source-etag");
		}
		assertThat(fixture.transfers("datahub"))
			.containsExactly("TRANSFERRED:exports/2026-12-01/pipeline_success.flag:" + source.size());
		assertThat(fixture.target.listMultipartUploads(r -> r.bucket(destination)).uploads()).isEmpty();

		int before = log.getOut().length();
		InProcessCli.Result second = this.ferry.run("run", "s3Egress", "source=rgw", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(log.getOut().substring(before)).doesNotContain("` -> `");
		assertThat(fixture.transfers("datahub"))
			.containsExactly("TRANSFERRED:exports/2026-12-01/pipeline_success.flag:" + source.size());
		assertThat(fixture.targetObjects(destination, "datahub")).hasSize(source.size());
	}

	/**
	 * bucket-check and bucket-setup learn the S3 destinations of the routes from
	 * {@code ferry_route}, as they learn a mirror's target from its settings: each
	 * destination once however many routes share it, directories left out.
	 */
	@Test
	void bucketCommandsCheckAndSetUpTheDestinationsOfTheRoutes() {
		String destination = fixture.targetEndpoint.createBucket("eg-rules");
		for (String pipeline : new String[] { "rules", "rules-again" }) {
			fixture.repositoryJdbc.update("""
					INSERT INTO ferry_route (source_bucket, source_prefix, pipeline_name, transfer_type,
						destination_endpoint, destination_bucket, destination_prefix)
					VALUES (?, 'rules/', ?, 'S3', ?, ?, 'in/')""", fixture.bucket("rgw"), pipeline,
					EgressFixture.TARGET, destination);
		}
		fixture.repositoryJdbc.update("""
				INSERT INTO ferry_route (source_bucket, source_prefix, pipeline_name, transfer_type, directory)
				VALUES (?, 'rules/', 'rules#sft', 'DIRECTORY', 'rules')""", fixture.bucket("rgw"));
		String rules = "Rules of s3://" + destination + "/in/ at ";

		InProcessCli.Result fresh = this.ferry.run("bucket-check", "--job", "s3Egress");
		assertThat(fresh.exitCode()).as(fresh.out()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fresh.out().split(java.util.regex.Pattern.quote(rules), -1)).as(fresh.out()).hasSize(2);
		assertThat(fresh.err()).contains("NOT COMPLIANT: run 'ferry bucket-setup' to apply the rules");

		InProcessCli.Result setup = this.ferry.run("bucket-setup", "--job", "s3Egress");
		assertThat(setup.exitCode()).as(setup.out() + setup.err()).isZero();
		assertThat(setup.out()).contains(rules).contains("COMPLIANT");
		InProcessCli.Result check = this.ferry.run("bucket-check", "--job", "s3Egress");
		assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
		assertThat(check.out()).contains(rules + fixture.targetEndpoint.uri() + " (objects expire within 14 days)");
	}

}
