package dev.ferry.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.CephRgwExtension;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.S3Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The s3 source's post-action {@code tag} and its quarantine bucket with SSE-KMS, on Ceph
 * RGW: S3Proxy implements no object tagging (it answers NotImplemented). Each object is
 * tagged {@code ferry-ingest=uploaded} or {@code quarantined} once the ledger says so,
 * keeping its other tags; tagging does not make it a new version, so a second run takes
 * nothing; the quarantined file and its report are encrypted as configured; and
 * {@code bucket-check} reaches the quarantine bucket as well as the destination, but
 * leaves the source bucket (the sender's inbox) alone: {@code bucket-setup} must never
 * put an expiry rule where files wait to be ingested.
 */
@ExtendWith({ CephRgwExtension.class, ClamdExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class IngestS3TagTest {

	static final S3Endpoint rgw = CephRgwExtension.endpoint();

	static final S3Client s3 = rgw.client();

	static final IngestFixture fixture = new IngestFixture(rgw, ClamdExtension.clamd());

	static final String inbox = rgw.createBucket("tagged-inbox");

	static final String quarantine = rgw.createBucket("tagged-quarantine");

	static {
		fixture.s3("tagged", rgw, inbox, "incoming", quarantine, "post-action=tag",
				"quarantine-encryption.algorithm=AWS_KMS",
				"quarantine-encryption.kms-key-id=" + CephRgwExtension.rgw().kmsKeyId());
	}

	@Autowired
	InProcessCli ferry;

	@Test
	void objectsAreTaggedOnceStoredAndTheQuarantineIsEncrypted(CapturedOutput log) {
		byte[] clean = "id;amount\n1;42\n".getBytes(StandardCharsets.UTF_8);
		s3.putObject(request -> request.bucket(inbox).key("incoming/a.csv").tagging("owner=partner"),
				RequestBody.fromBytes(clean));
		s3.putObject(request -> request.bucket(inbox).key("incoming/virus.com"), RequestBody.fromBytes(Clamd.eicar()));

		InProcessCli.Result first = this.ferry.run("run", "ingest", "source=tagged", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err() + log.getOut()).isZero();

		assertThat(fixture.objects("tagged").get("a.csv")).isEqualTo(clean);
		assertThat(tags("incoming/a.csv")).containsOnly(Map.entry("owner", "partner"),
				Map.entry("ferry-ingest", "uploaded"));
		assertThat(tags("incoming/virus.com")).containsOnly(Map.entry("ferry-ingest", "quarantined"));
		assertThat(IngestS3Test.states(fixture, "tagged")).containsOnly(Map.entry("a.csv", "source_cleaned: null"),
				Map.entry("virus.com", "source_cleaned: null"));
		for (String key : List.of("quarantine/tagged/virus.com", "quarantine/tagged/virus.com.report.json")) {
			assertThat(s3.headObject(request -> request.bucket(quarantine).key(key)).serverSideEncryption()).as(key)
				.isEqualTo(ServerSideEncryption.AWS_KMS);
		}
		assertThat(s3.getObjectAsBytes(request -> request.bucket(quarantine).key("quarantine/tagged/virus.com"))
			.asByteArray()).isEqualTo(Clamd.eicar());
		assertThat(log.getOut()).contains("File 's3://" + inbox + "/incoming/a.csv': tagged ferry-ingest=uploaded");

		// RGW moves LastModified when it tags: Ferry's tag, not the ledger, tells that
		// these are the versions it took
		java.time.Instant uploadedAt = fixture.head("in/tagged/a.csv").lastModified();
		InProcessCli.Result second = this.ferry.run("run", "ingest", "source=tagged", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(fixture.ledger("tagged")).hasSize(2);
		assertThat(fixture.head("in/tagged/a.csv").lastModified()).isEqualTo(uploadedAt);
		assertThat(log.getOut()).contains("Source 'tagged': 2 file(s) listed, 0 new in the ledger");

		// a rewrite drops the tags: the new version is taken
		byte[] changed = "id;amount\n1;43\n".getBytes(StandardCharsets.UTF_8);
		s3.putObject(request -> request.bucket(inbox).key("incoming/a.csv"), RequestBody.fromBytes(changed));
		InProcessCli.Result third = this.ferry.run("run", "ingest", "source=tagged", "runDate=2026-12-03");
		assertThat(third.exitCode()).as(third.err()).isZero();
		assertThat(fixture.objects("tagged").get("a.csv")).isEqualTo(changed);
		assertThat(fixture.ledger("tagged")).hasSize(3);
		assertThat(tags("incoming/a.csv")).containsOnly(Map.entry("ferry-ingest", "uploaded"));
	}

	@Test
	void bucketCheckReachesTheQuarantineBucketButNotTheSendersInbox() {
		InProcessCli.Result result = this.ferry.run("bucket-check", "--job", "ingest");
		assertThat(result.out()).contains("s3://" + fixture.bucket + "/in/tagged/")
			.contains("s3://" + quarantine + "/quarantine/")
			.doesNotContain("s3://" + inbox + "/");
	}

	private static Map<String, String> tags(String key) {
		return s3.getObjectTagging(request -> request.bucket(inbox).key(key))
			.tagSet()
			.stream()
			.collect(Collectors.toMap(Tag::key, Tag::value));
	}

}
