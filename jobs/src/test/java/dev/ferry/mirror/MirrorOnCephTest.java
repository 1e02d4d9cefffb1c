package dev.ferry.mirror;

import java.util.List;
import java.util.Map;

import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * s3-mirror against the production store, Ceph RGW to Ceph RGW (two buckets): keys that
 * S3Proxy's filesystem cannot hold arrive byte for byte, with their headers and metadata,
 * encrypted with SSE-KMS as every answer and every HEAD shows; extra objects are deleted
 * with DeleteObjects as RGW takes it.
 */
@ExtendWith({ CephRgwExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class MirrorOnCephTest {

	static final List<String> HOSTILE_KEYS = List.of("a//b", "./x", "../y", "k/", "\u00e9", "e\u0301", "with space",
			"plus+sign", "100%", "ctl\u0001char", "tab\there", "long/" + "x".repeat(995));

	static final MirrorFixture fixture = new MirrorFixture(CephRgwExtension.endpoint(), CephRgwExtension.endpoint())
		.mirror("ceph", "encryption.algorithm=AWS_KMS", "encryption.kms-key-id=" + CephRgwExtension.rgw().kmsKeyId(),
				"remove-extra=true", "max-delete=100%");

	@Autowired
	InProcessCli ferry;

	@Test
	void hostileKeysArriveByteForByteWithTheirHeadersEncryptedWithKms(CapturedOutput log) {
		for (String key : HOSTILE_KEYS) {
			fixture.putSource("ceph", key, MirrorJobTest.bytes(key.endsWith("/") ? "" : "content of " + key),
					b -> b.contentType("application/x-test").metadata(Map.of("origin", "aws")));
		}
		byte[] large = MirrorJobTest.random(11 * 1024 * 1024, 3);
		fixture.putSource("ceph", "large.bin", large, b -> b.contentType("application/x-large"));
		fixture.putTarget("ceph", "gone.txt", MirrorJobTest.bytes("extra"));

		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=ceph", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();

		Map<String, byte[]> source = fixture.sourceObjects("ceph");
		Map<String, byte[]> target = fixture.targetObjects("ceph");
		assertThat(source).hasSize(HOSTILE_KEYS.size() + 1);
		assertThat(target.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));
		String kmsKeyId = CephRgwExtension.rgw().kmsKeyId();
		for (String key : source.keySet()) {
			HeadObjectResponse head = fixture.target
				.headObject(r -> r.bucket(fixture.pair("ceph").target()).key("copy/" + key));
			assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
			assertThat(head.ssekmsKeyId()).as(key).isEqualTo(kmsKeyId);
			assertThat(head.contentType()).as(key)
				.isEqualTo(key.equals("large.bin") ? "application/x-large" : "application/x-test");
			assertThat(head.metadata()).as(key).containsKey("ferry-source-etag");
		}
		assertThat(fixture.target.headObject(r -> r.bucket(fixture.pair("ceph").target()).key("copy/a//b")).metadata())
			.containsEntry("origin", "aws");
		assertThat(log.getOut()).contains("/src/ctl\\x01char` -> `")
			.contains("/src/tab\\there` -> `")
			.contains("1 extra, 1 deleted");

		int before = log.getOut().length();
		InProcessCli.Result again = this.ferry.run("run", "s3Mirror", "mirror=ceph", "runDate=2026-12-02");
		assertThat(again.exitCode()).as(again.err()).isZero();
		assertThat(log.getOut().substring(before)).doesNotContain("` -> `")
			.contains("0 new, 0 changed, " + source.size() + " unchanged, 0 extra, 0 deleted");
	}

}
