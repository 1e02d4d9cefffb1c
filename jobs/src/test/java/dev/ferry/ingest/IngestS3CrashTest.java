package dev.ferry.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.S3Endpoint;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Ferry process ingesting an S3 prefix, killed with SIGKILL in the middle of its
 * objects, then run again with the same parameters: every object ends exactly once in the
 * destination bucket (with its marker) or in the quarantine bucket (with its report), the
 * source prefix is empty (post-action delete, which only ever follows a committed upload
 * or quarantine), every ledger row is final, and no object was uploaded twice.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class })
class IngestS3CrashTest {

	static final int FILES = 60;

	final S3Endpoint source = S3ProxyExtension.source();

	final String inbox = this.source.createBucket("crash-inbox");

	final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd());

	final String quarantine = this.fixture.endpoint.createBucket("crash-quarantine");

	@Test
	void aKilledRunResumesEveryObjectFromItsLastCommittedState() throws Exception {
		this.fixture.s3("crash", this.source, this.inbox, "incoming", this.quarantine, "recursive=true",
				"post-action=delete");
		Map<String, byte[]> clean = new TreeMap<>();
		List<String> infected = new ArrayList<>();
		Random random = new Random(11);
		try (S3Client s3 = this.source.client()) {
			for (int i = 0; i < FILES; i++) {
				String name;
				byte[] content;
				if (i % 10 == 3) {
					name = "sub-%d/virus-%02d.com".formatted(i % 3, i);
					content = Clamd.eicar();
					infected.add(name);
				}
				else {
					name = "sub-%d/file-%02d.bin".formatted(i % 3, i);
					content = new byte[50_000 + random.nextInt(150_000)];
					random.nextBytes(content);
					clean.put(name, content);
				}
				s3.putObject(request -> request.bucket(this.inbox).key("incoming/" + name),
						RequestBody.fromBytes(content));
			}
		}
		IngestCrashTest.Runs runs = IngestCrashTest.killAndResume(this.fixture, "crash", FILES);

		// every object exactly once where it belongs, and nothing left at the source
		Map<String, byte[]> objects = this.fixture.objects("crash");
		assertThat(objects).hasSize(2 * clean.size());
		clean.forEach((name, content) -> {
			assertThat(objects.get(name)).as(name).isEqualTo(content);
			assertThat(objects.get(name + ".done")).as(name + ".done").isEmpty();
		});
		List<String> quarantined = keys(this.fixture.s3, this.quarantine, "");
		assertThat(quarantined).hasSize(2 * infected.size());
		for (String name : infected) {
			String key = "quarantine/crash/" + name;
			assertThat(
					this.fixture.s3.getObjectAsBytes(request -> request.bucket(this.quarantine).key(key)).asByteArray())
				.as(key)
				.isEqualTo(Clamd.eicar());
			assertThat(quarantined).contains(key + ".report.json");
		}
		try (S3Client s3 = this.source.client()) {
			assertThat(keys(s3, this.inbox, "incoming/")).as("objects left at the source").isEmpty();
		}

		// one final ledger row per object, and each upload written by that row
		List<Map<String, Object>> rows = this.fixture.ledger("crash");
		assertThat(rows).hasSize(FILES).allSatisfy(row -> assertThat(row).containsEntry("state", "source_cleaned"));
		for (Map<String, Object> row : rows) {
			String name = ((String) row.get("path")).substring(("s3://" + this.inbox + "/incoming/").length());
			if (clean.containsKey(name)) {
				assertThat(this.fixture.head("in/crash/" + name).metadata()).containsEntry("ferry-ledger-id",
						row.get("id").toString());
			}
			else {
				assertThat(row).containsEntry("destination", "s3://" + this.quarantine + "/quarantine/crash/" + name);
			}
		}

		IngestCrashTest.assertUploadedOnce(runs.killed(), runs.resumed(), clean.size());
	}

	private static List<String> keys(S3Client s3, String bucket, String prefix) {
		return s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

}
