package dev.ferry.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.S3Endpoint;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ingest from an S3 prefix end to end (seed 004), one S3Proxy as the source and another
 * as the destination and quarantine bucket, through the test clamd: keys
 * {@code <submission_guid>/<filename>} are taken and others rejected with the reason,
 * EICAR goes to the quarantine bucket with its report, the post-actions delete and move
 * run once the ledger says stored, a second run takes nothing new, a rewritten object is
 * taken again, and a missing bucket or refused credentials stop the run naming the
 * source's property.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class IngestS3Test {

	static final String SUBMISSION_KEY = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[^/]+";

	static final S3Endpoint source = S3ProxyExtension.source();

	static final S3Client sourceS3 = source.client();

	static final String inbox = source.createBucket("unprocessed");

	static final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd());

	static final String quarantine = fixture.endpoint.createBucket("quarantine");

	static final String wrongSecret = "wrong-" + UUID.randomUUID();

	static {
		fixture
			.s3("seed", source, inbox, "unprocessed/seed", quarantine, "recursive=true", "name-regex=" + SUBMISSION_KEY,
					"post-action=delete")
			.s3("keeping", source, inbox, "unprocessed/keeping", null)
			.s3("moving", source, inbox, "unprocessed/moving", null, "post-action=move:processed/moving",
					"done-marker=false")
			.s3("nobucket", source, "no-such-bucket-" + UUID.randomUUID(), "x", null)
			.s3("refused", source, inbox, "x", null)
			.set("refused", "s3.secret-access-key", wrongSecret);
	}

	@Autowired
	InProcessCli ferry;

	@Test
	void submissionsAreIngestedOrQuarantinedAndOtherKeysRejected(CapturedOutput log) throws Exception {
		String guid = UUID.randomUUID().toString();
		byte[] clean = bytes("passport;123\n");
		put("unprocessed/seed/" + guid + "/passport.csv", clean);
		put("unprocessed/seed/" + guid + "/virus.com", Clamd.eicar());
		put("unprocessed/seed/" + guid + "/empty.csv", new byte[0]);
		put("unprocessed/seed/" + guid + "/", new byte[0]);
		put("unprocessed/seed/loose.csv", bytes("no submission"));
		put("unprocessed/seed/not-a-guid/x.csv", bytes("no submission either"));

		InProcessCli.Result first = this.ferry.run("run", "ingest", "source=seed", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err() + log.getOut()).isZero();

		Map<String, byte[]> objects = fixture.objects("seed");
		assertThat(objects).containsOnlyKeys(guid + "/passport.csv", guid + "/passport.csv.done", guid + "/empty.csv",
				guid + "/empty.csv.done");
		assertThat(objects.get(guid + "/passport.csv")).isEqualTo(clean);
		assertThat(fixture.head("in/seed/" + guid + "/passport.csv").metadata())
			.containsEntry("ferry-sha256", IngestLocalTest.sha256(clean))
			.containsEntry("ferry-source-path",
					"s3%3A%2F%2F" + inbox + "%2Funprocessed%2Fseed%2F" + guid + "%2Fpassport.csv");

		// the infected file and its report in the quarantine bucket, the same report as
		// a quarantine directory's
		String quarantined = "quarantine/seed/" + guid + "/virus.com";
		assertThat(quarantineKeys()).containsExactlyInAnyOrder(quarantined, quarantined + ".report.json");
		assertThat(quarantineObject(quarantined)).isEqualTo(Clamd.eicar());
		JsonNode report = JsonMapper.builder().build().readTree(quarantineObject(quarantined + ".report.json"));
		assertThat(report.get("source").asString()).isEqualTo("seed");
		assertThat(report.get("path").asString())
			.isEqualTo("s3://" + inbox + "/unprocessed/seed/" + guid + "/virus.com");
		assertThat(report.get("size").asLong()).isEqualTo(68);
		assertThat(report.get("sha256").asString()).isEqualTo(IngestLocalTest.sha256(Clamd.eicar()));
		assertThat(report.get("verdict").asString()).isEqualTo("infected");
		assertThat(report.get("signature").asString()).isEqualTo("Eicar-Test-Signature.UNOFFICIAL");
		assertThat(report.get("scanner").asString()).startsWith("ClamAV ");
		assertThat(report.get("quarantinedAs").asString()).isEqualTo("s3://" + quarantine + "/" + quarantined);

		// the ledger: stored and cleaned, or rejected with the reason; the folder marker
		// is no file
		Map<String, String> states = states("seed");
		assertThat(states).containsOnly(Map.entry(guid + "/passport.csv", "source_cleaned: null"),
				Map.entry(guid + "/virus.com", "source_cleaned: null"),
				Map.entry(guid + "/empty.csv", "source_cleaned: null"),
				Map.entry("loose.csv",
						"rejected: the name does not match ferry.ingest.sources.seed.name-regex (" + SUBMISSION_KEY
								+ ")"),
				Map.entry("not-a-guid/x.csv", "rejected: the name does not match ferry.ingest.sources.seed.name-regex ("
						+ SUBMISSION_KEY + ")"));
		assertThat(fixture.ledger("seed")).filteredOn(row -> row.get("path").toString().endsWith("virus.com"))
			.singleElement()
			.satisfies(row -> assertThat(row).containsEntry("destination", "s3://" + quarantine + "/" + quarantined)
				.containsEntry("verdict", "infected"));
		// post-action delete: only what was rejected stays at the source
		assertThat(sourceKeys("unprocessed/seed/")).containsExactlyInAnyOrder("unprocessed/seed/" + guid + "/",
				"unprocessed/seed/loose.csv", "unprocessed/seed/not-a-guid/x.csv");
		assertThat(log.getOut())
			.contains(
					"INFECTED (Eicar-Test-Signature.UNOFFICIAL), quarantined to s3://" + quarantine + "/" + quarantined)
			.contains("File 's3://" + inbox + "/unprocessed/seed/loose.csv': REJECTED: the name does not match");
		assertThat(fixture.whereDidFileGo("virus.com")).contains("s3://" + quarantine + "/" + quarantined);

		// a second run finds nothing new
		InProcessCli.Result second = this.ferry.run("run", "ingest", "source=seed", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(fixture.ledger("seed")).hasSize(5);
		assertThat(log.getOut()).contains("Source 'seed': 2 file(s) listed, 0 new in the ledger")
			.contains("Source 'seed': 0 uploaded, 0 quarantined");
	}

	@Test
	void aSecondRunTakesNothingNewAndARewrittenObjectIsTakenAgain(CapturedOutput log) throws Exception {
		put("unprocessed/keeping/a.csv", bytes("one"));
		InProcessCli.Result first = this.ferry.run("run", "ingest", "source=keeping", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err() + log.getOut()).isZero();
		assertThat(fixture.objects("keeping").get("a.csv")).isEqualTo(bytes("one"));
		Instant uploadedAt = fixture.head("in/keeping/a.csv").lastModified();

		InProcessCli.Result second = this.ferry.run("run", "ingest", "source=keeping", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(fixture.ledger("keeping")).hasSize(1);
		assertThat(fixture.head("in/keeping/a.csv").lastModified()).isEqualTo(uploadedAt);
		assertThat(log.getOut()).contains("Source 'keeping': 1 file(s) listed, 0 new in the ledger");

		// the same key and size, other bytes, written a second later: a new version
		Instant written = sourceS3.headObject(request -> request.bucket(inbox).key("unprocessed/keeping/a.csv"))
			.lastModified();
		waitForTheSecondAfter(written);
		put("unprocessed/keeping/a.csv", bytes("two"));
		InProcessCli.Result third = this.ferry.run("run", "ingest", "source=keeping", "runDate=2026-12-03");
		assertThat(third.exitCode()).as(third.err()).isZero();
		assertThat(fixture.objects("keeping").get("a.csv")).isEqualTo(bytes("two"));
		List<Map<String, Object>> rows = fixture.ledger("keeping");
		assertThat(rows).hasSize(2);
		assertThat(rows.getLast()).containsEntry("state", "uploaded")
			.containsEntry("sha256", IngestLocalTest.sha256(bytes("two")));
		assertThat(sourceKeys("unprocessed/keeping/")).containsExactly("unprocessed/keeping/a.csv");
	}

	@Test
	void moveCopiesUnderAnotherPrefixAndANonRecursiveSourceLeavesDeeperKeys() throws Exception {
		put("unprocessed/moving/c.csv", bytes("c"));
		put("unprocessed/moving/deeper/d.csv", bytes("d"));
		InProcessCli.Result moved = this.ferry.run("run", "ingest", "source=moving", "runDate=2026-12-01");
		assertThat(moved.exitCode()).as(moved.err()).isZero();
		assertThat(fixture.objects("moving")).containsOnlyKeys("c.csv");
		assertThat(sourceKeys("unprocessed/moving/")).containsExactly("unprocessed/moving/deeper/d.csv");
		assertThat(
				sourceS3.getObjectAsBytes(request -> request.bucket(inbox).key("processed/moving/c.csv")).asByteArray())
			.isEqualTo(bytes("c"));
		assertThat(states("moving")).containsOnly(Map.entry("c.csv", "source_cleaned: null"));
	}

	@Test
	void aMissingBucketStopsTheRunNamingTheSourcesProperty() {
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=nobucket", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(fixture.failure("source=nobucket"))
			.contains("does not exist (ferry.ingest.sources.nobucket.s3.bucket)");
		assertThat(fixture.ledger("nobucket")).isEmpty();
	}

	@Test
	void refusedCredentialsStopTheRunNamingTheSourcesPropertyAndNeverTheSecret(CapturedOutput log) {
		put("x/file.csv", bytes("x"));
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=refused", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(fixture.failure("source=refused")).contains("refused the credentials")
			.contains("ferry.ingest.sources.refused.s3.access-key-id")
			.doesNotContain(wrongSecret);
		assertThat(log.getOut()).doesNotContain(wrongSecret);
		assertThat(fixture.ledger("refused")).isEmpty();
		assertThat(fixture.keys("in/refused/")).isEmpty();
	}

	static Map<String, String> states(String name) {
		return states(fixture, name);
	}

	/** The ledger of an s3 source: key relative to the prefix → "state: error". */
	static Map<String, String> states(IngestFixture fixture, String name) {
		Map<String, String> states = new TreeMap<>();
		for (Map<String, Object> row : fixture.ledger(name)) {
			String directory = (String) row.get("directory");
			assertThat(directory).startsWith("s3://").endsWith("/");
			states.put(((String) row.get("path")).substring(directory.length()),
					row.get("state") + ": " + row.get("error"));
		}
		return states;
	}

	static void put(String key, byte[] content) {
		sourceS3.putObject(request -> request.bucket(inbox).key(key), RequestBody.fromBytes(content));
	}

	static List<String> sourceKeys(String prefix) {
		return sourceS3.listObjectsV2Paginator(request -> request.bucket(inbox).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	static List<String> quarantineKeys() {
		return fixture.s3.listObjectsV2Paginator(request -> request.bucket(quarantine))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	static byte[] quarantineObject(String key) {
		return fixture.s3.getObjectAsBytes(request -> request.bucket(quarantine).key(key)).asByteArray();
	}

	/**
	 * S3 keeps LastModified to the second: a rewrite in the same second looks the same.
	 */
	static void waitForTheSecondAfter(Instant time) throws InterruptedException {
		Instant next = time.plusSeconds(1);
		while (Instant.now().isBefore(next.plusMillis(50))) {
			Thread.sleep(50);
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
