package dev.ferry.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Self-test of {@link S3ProxyServer} and {@link S3ProxyExtension}.
 */
@ExtendWith(S3ProxyExtension.class)
class S3ProxyServerTest {

	@Test
	void sourceAndTargetAreIndependentServers(@S3ProxyExtension.Source S3Endpoint source,
			@S3ProxyExtension.Target S3Endpoint target) {
		assertThat(source.uri().getHost()).isEqualTo("127.0.0.1");
		assertThat(source.uri().getPort()).isNotEqualTo(target.uri().getPort());
		assertThat(S3ProxyExtension.source()).isEqualTo(source);
		assertThat(S3ProxyExtension.target()).isEqualTo(target);
		String bucket = source.createBucket("independent");
		try (S3Client s3 = source.client(); S3Client other = target.client()) {
			assertThat(s3.listBuckets().buckets()).anyMatch((b) -> b.name().equals(bucket));
			assertThat(other.listBuckets().buckets()).noneMatch((b) -> b.name().equals(bucket));
		}
		finally {
			source.deleteBucket(bucket);
		}
	}

	@Test
	void putsListsAndGetsObjects(@S3ProxyExtension.Target S3Endpoint s3Endpoint) {
		String bucket = s3Endpoint.createBucket("puts-lists-gets");
		byte[] content = "ferry test object\n".getBytes(StandardCharsets.UTF_8);
		try (S3Client s3 = s3Endpoint.client()) {
			s3.putObject((request) -> request.bucket(bucket).key("dir/a.txt"), RequestBody.fromBytes(content));
			s3.putObject((request) -> request.bucket(bucket).key("dir/b.txt"), RequestBody.fromString("b"));
			List<String> keys = s3.listObjectsV2((request) -> request.bucket(bucket).prefix("dir/"))
				.contents()
				.stream()
				.map(S3Object::key)
				.toList();
			assertThat(keys).containsExactly("dir/a.txt", "dir/b.txt");
			ResponseBytes<GetObjectResponse> got = s3
				.getObjectAsBytes((request) -> request.bucket(bucket).key("dir/a.txt"));
			assertThat(got.asByteArray()).isEqualTo(content);
		}
		finally {
			s3Endpoint.deleteBucket(bucket);
		}
		try (S3Client s3 = s3Endpoint.client()) {
			assertThatExceptionOfType(S3Exception.class)
				.isThrownBy(() -> s3.headBucket((request) -> request.bucket(bucket)))
				.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(404));
		}
	}

	@Test
	void completesMultipartUpload(@S3ProxyExtension.Source S3Endpoint s3Endpoint) {
		String bucket = s3Endpoint.createBucket("multipart");
		byte[] part1 = new byte[5 * 1024 * 1024];
		ThreadLocalRandom.current().nextBytes(part1);
		byte[] part2 = "tail".getBytes(StandardCharsets.UTF_8);
		try (S3Client s3 = s3Endpoint.client()) {
			String uploadId = s3.createMultipartUpload((request) -> request.bucket(bucket).key("big.bin")).uploadId();
			String etag1 = s3
				.uploadPart((request) -> request.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(1),
						RequestBody.fromBytes(part1))
				.eTag();
			String etag2 = s3
				.uploadPart((request) -> request.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(2),
						RequestBody.fromBytes(part2))
				.eTag();
			s3.completeMultipartUpload((request) -> request.bucket(bucket)
				.key("big.bin")
				.uploadId(uploadId)
				.multipartUpload((upload) -> upload.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
						CompletedPart.builder().partNumber(2).eTag(etag2).build())));
			assertThat(s3.listObjectsV2((request) -> request.bucket(bucket)).contents()).singleElement()
				.satisfies((object) -> assertThat(object.size()).isEqualTo(part1.length + part2.length));
			byte[] got = s3.getObjectAsBytes((request) -> request.bucket(bucket).key("big.bin")).asByteArray();
			assertThat(got).hasSize(part1.length + part2.length);
			assertThat(java.util.Arrays.copyOfRange(got, part1.length, got.length)).isEqualTo(part2);
		}
		finally {
			s3Endpoint.deleteBucket(bucket);
		}
	}

	@Test
	void rejectsWrongCredentials(@S3ProxyExtension.Source S3Endpoint source) {
		S3Endpoint wrong = new S3Endpoint(source.uri(), source.region(), source.accessKey(), "not-the-secret");
		try (S3Client s3 = wrong.client()) {
			assertThatExceptionOfType(S3Exception.class).isThrownBy(s3::listBuckets)
				.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(403));
		}
	}

	@Test
	void plainApiKeepsDataAcrossRestarts(@TempDir Path stateDir) {
		String bucket = S3Endpoint.uniqueBucketName("restart");
		long firstPid;
		try (S3ProxyServer server = S3ProxyServer.start(stateDir); S3Client s3 = server.endpoint().client()) {
			firstPid = server.pid();
			s3.createBucket((request) -> request.bucket(bucket));
			s3.putObject((request) -> request.bucket(bucket).key("kept"), RequestBody.fromString("kept"));
			assertThat(server.dataDir().resolve(bucket).resolve("kept")).exists();
		}
		assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
		try (S3ProxyServer server = S3ProxyServer.start(stateDir); S3Client s3 = server.endpoint().client()) {
			assertThat(s3.getObjectAsBytes((request) -> request.bucket(bucket).key("kept")).asUtf8String())
				.isEqualTo("kept");
		}
	}

	@Test
	void uniqueBucketNamesAreValid() {
		String name = S3Endpoint.uniqueBucketName("Some_Test.Name/" + "x".repeat(80));
		assertThat(name).matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]").hasSizeLessThanOrEqualTo(63);
		assertThat(S3Endpoint.uniqueBucketName("a")).isNotEqualTo(S3Endpoint.uniqueBucketName("a"));
	}

}
