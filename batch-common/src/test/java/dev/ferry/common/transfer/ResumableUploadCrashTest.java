package dev.ferry.common.transfer;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.testkit.CephRgwExtension;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3Endpoint;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two resumable uploads in one step, in a real process killed with SIGKILL between parts:
 * run again, each continues its own multipart upload (their ExecutionContext keys do not
 * collide), sends again at most the one part that was in flight, and the objects are byte
 * for byte those of an uninterrupted run. On S3Proxy, and on the production store, Ceph
 * RGW, with SSE-KMS checked in every answer.
 */
@ExtendWith({ S3ProxyExtension.class, CephRgwExtension.class })
class ResumableUploadCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(120);

	static final int PARTS = 6;

	@Test
	void uploadsKilledBetweenPartsResumeIntoTheBytesOfAnUninterruptedRunOnS3Proxy() {
		killAndResume(S3ProxyExtension.target(), null);
	}

	@Test
	void uploadsKilledBetweenPartsResumeIntoTheBytesOfAnUninterruptedRunOnCephRgw() {
		String kmsKeyId = CephRgwExtension.rgw().kmsKeyId();
		S3Endpoint ceph = CephRgwExtension.endpoint();
		String bucket = killAndResume(ceph, kmsKeyId);
		for (String name : List.of("first", "second")) {
			HeadObjectResponse head = ceph.client().headObject(request -> request.bucket(bucket).key("run/" + name));
			assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
			assertThat(head.ssekmsKeyId()).isEqualTo(kmsKeyId);
		}
	}

	private String killAndResume(S3Endpoint endpoint, String kmsKeyId) {
		PostgresDatabase repository = EmbeddedPostgresServer.shared().newMigratedDatabase();
		String bucket = endpoint.createBucket("upload");
		S3Client s3 = endpoint.client();
		Map<String, String> environment = new HashMap<>(Map.of("UPLOAD_ENDPOINT", endpoint.uri().toString(),
				"UPLOAD_BUCKET", bucket, "UPLOAD_ACCESS_KEY", endpoint.accessKey(), "UPLOAD_SECRET_KEY",
				endpoint.secretKey(), "UPLOAD_PARTS", String.valueOf(PARTS), "UPLOAD_PART_DELAY_MS", "300"));
		if (kmsKeyId != null) {
			environment.put("UPLOAD_KMS_KEY_ID", kmsKeyId);
		}
		FerryProcess.Builder child = FerryProcess.builder()
			.mainClass(TwoUploadsApplication.class.getName())
			.repository(repository)
			.envs(environment);

		Map<String, Integer> partsAtKill;
		try (FerryProcess doomed = child.start("run/")) {
			doomed.killWhen(() -> partsStored(s3, bucket, "first") >= 2 && partsStored(s3, bucket, "second") >= 2,
					TIMEOUT);
			partsAtKill = Map.of("first", partsStored(s3, bucket, "first"), "second",
					partsStored(s3, bucket, "second"));
		}
		assertThat(partsAtKill.values()).allSatisfy(parts -> assertThat(parts).isBetween(2, PARTS - 1));

		String output;
		try (FerryProcess resumed = child.env("UPLOAD_PART_DELAY_MS", "0").start("run/")) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
			output = resumed.output();
		}
		assertThat(output).contains("Object first: RESUMED").contains("Object second: RESUMED");
		for (String name : List.of("first", "second")) {
			byte[] stored = s3.getObjectAsBytes(request -> request.bucket(bucket).key("run/" + name)).asByteArray();
			assertThat(stored).as(name).isEqualTo(uninterrupted(name));
			long sentAgain = output.lines().filter(line -> line.endsWith(" of " + name)).count();
			// every part the store held at the kill was acknowledged or in flight: at
			// most the one in flight is sent again
			assertThat(sentAgain).as("parts of %s sent by the resumed run", name)
				.isLessThanOrEqualTo(PARTS - partsAtKill.get(name) + 1L);
		}
		assertThat(s3.listMultipartUploads(request -> request.bucket(bucket)).uploads()).as("open uploads").isEmpty();
		List<Map<String, Object>> steps = new JdbcTemplate(repository.dataSource())
			.queryForList("SELECT status FROM batch_step_execution ORDER BY step_execution_id");
		assertThat(steps).extracting(row -> row.get("status")).containsExactly("FAILED", "COMPLETED");
		return bucket;
	}

	private static int partsStored(S3Client s3, String bucket, String name) {
		return s3.listMultipartUploads(request -> request.bucket(bucket))
			.uploads()
			.stream()
			.filter(upload -> upload.key().equals("run/" + name))
			.map(MultipartUpload::uploadId)
			.mapToInt(uploadId -> s3.listParts(request -> request.bucket(bucket).key("run/" + name).uploadId(uploadId))
				.parts()
				.size())
			.sum();
	}

	private static byte[] uninterrupted(String name) {
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		for (int number = 1; number <= PARTS; number++) {
			expected.writeBytes(TwoUploadsTasklet.content(name, number, PARTS));
		}
		return expected.toByteArray();
	}

}
