package dev.ferry.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Self-test of {@link CephRgw} and {@link CephRgwExtension} against the real gateway.
 */
@ExtendWith(CephRgwExtension.class)
class CephRgwTest {

	@Test
	void parsesTheEndpointThatStartShPrints(CephRgw rgw) {
		S3Endpoint endpoint = rgw.endpoint();
		assertThat(endpoint.uri().toString()).startsWith("http://127.0.0.1:");
		assertThat(endpoint.region()).isEqualTo("us-east-1");
		assertThat(endpoint.accessKey()).isNotBlank();
		assertThat(endpoint.secretKey()).isNotBlank();
		assertThat(rgw.dataDir().resolve("ceph.conf")).exists();
		assertThat(CephRgwExtension.rgw()).isSameAs(rgw);
	}

	@Test
	void findsTheProjectsOwnScriptsFromAnyModuleOfTheCheckout() {
		// surefire runs these tests in batch-common; other modules' tests run in theirs
		Path checkout = Path.of("").toAbsolutePath().getParent();
		Path scripts = checkout.resolve(CephRgw.PROJECT_CEPH_DIR);
		assertThat(scripts.resolve("start.sh")).isRegularFile();
		assertThat(scripts.resolve("stop.sh")).isRegularFile();
		for (String from : List.of("", "batch-common", "jobs", "demo", "jobs/src/test")) {
			assertThat(CephRgw.findProjectCephDir(checkout.resolve(from))).as(from).isEqualTo(scripts);
		}
	}

	@Test
	void namesThePropertyToSetWhenRunOutsideACheckout(@TempDir Path elsewhere) {
		assertThatIllegalStateException().isThrownBy(() -> CephRgw.findProjectCephDir(elsewhere))
			.withMessageContaining(CephRgw.PROJECT_CEPH_DIR)
			.withMessageContaining(CephRgw.CEPH_DIR_PROPERTY);
	}

	@Test
	void storesObjectsWithSseKms(CephRgw rgw) {
		S3Endpoint ceph = rgw.endpoint();
		String bucket = ceph.createBucket("sse-kms");
		String keyId = rgw.kmsKeyId();
		byte[] content = "encrypted at rest\n".getBytes(StandardCharsets.UTF_8);
		try (S3Client s3 = ceph.client()) {
			s3.putObject((request) -> request.bucket(bucket)
				.key("secret.txt")
				.serverSideEncryption(ServerSideEncryption.AWS_KMS)
				.ssekmsKeyId(keyId), RequestBody.fromBytes(content));
			HeadObjectResponse head = s3.headObject((request) -> request.bucket(bucket).key("secret.txt"));
			assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
			assertThat(head.ssekmsKeyId()).isEqualTo(keyId);
			assertThat(s3.getObjectAsBytes((request) -> request.bucket(bucket).key("secret.txt")).asByteArray())
				.isEqualTo(content);
		}
		finally {
			ceph.deleteBucket(bucket);
		}
	}

	@Test
	void completesMultipartUploadOfTwoParts(CephRgw rgw) {
		S3Endpoint ceph = rgw.endpoint();
		String bucket = ceph.createBucket("multipart");
		byte[] part1 = new byte[5 * 1024 * 1024];
		ThreadLocalRandom.current().nextBytes(part1);
		byte[] part2 = "the small last part".getBytes(StandardCharsets.UTF_8);
		try (S3Client s3 = ceph.client()) {
			String uploadId = s3.createMultipartUpload((request) -> request.bucket(bucket).key("big.bin")).uploadId();
			String etag1 = s3
				.uploadPart((request) -> request.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(1),
						RequestBody.fromBytes(part1))
				.eTag();
			String etag2 = s3
				.uploadPart((request) -> request.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(2),
						RequestBody.fromBytes(part2))
				.eTag();
			// RGW 16 answers an empty ETag here (quirk 5 in src/test/ceph/README.md): do
			// not assert on it
			s3.completeMultipartUpload((request) -> request.bucket(bucket)
				.key("big.bin")
				.uploadId(uploadId)
				.multipartUpload((upload) -> upload.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
						CompletedPart.builder().partNumber(2).eTag(etag2).build())));
			assertThat(s3.listObjectsV2((request) -> request.bucket(bucket)).contents()).singleElement()
				.satisfies((object) -> {
					assertThat(object.key()).isEqualTo("big.bin");
					assertThat(object.size()).isEqualTo(part1.length + part2.length);
					assertThat(object.eTag()).endsWith("-2\"");
				});
			assertThat(s3.headObject((request) -> request.bucket(bucket).key("big.bin")).contentLength())
				.isEqualTo(part1.length + part2.length);
		}
		finally {
			ceph.deleteBucket(bucket);
		}
	}

}
