package dev.ferry.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.ferry.common.transfer.Digests;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ingest end to end in one process, from local directories through the test clamd into
 * S3Proxy or quarantine: clean and infected files, a second run that finds nothing new, a
 * changed file ingested again, post-actions, and names Ferry refuses.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class IngestLocalTest {

	static final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd())
		.local("plain")
		.local("hostile")
		.local("changing")
		.local("deleting", "post-action=delete", "recursive=true")
		.local("moving", "post-action=move:" + Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()
				+ "/ferry-ingest-moved-" + ProcessHandle.current().pid(), "done-marker=false");

	@Autowired
	InProcessCli ferry;

	@Test
	void cleanFilesGoToS3WithAMarkerAndInfectedOnesToQuarantineWithAReport(CapturedOutput log) throws Exception {
		byte[] clean = "id;amount\n1;42\n".getBytes(StandardCharsets.UTF_8);
		fixture.write("plain", "1124_2026_12_01.xml", clean);
		fixture.write("plain", "virus.com", Clamd.eicar());
		fixture.write("plain", "empty.csv", new byte[0]);

		InProcessCli.Result first = this.ferry.run("run", "ingest", "source=plain", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err() + log.getOut()).isZero();

		Map<String, byte[]> objects = fixture.objects("plain");
		assertThat(objects).containsOnlyKeys("1124_2026_12_01.xml", "1124_2026_12_01.xml.done", "empty.csv",
				"empty.csv.done");
		assertThat(objects.get("1124_2026_12_01.xml")).isEqualTo(clean);
		assertThat(objects.get("1124_2026_12_01.xml.done")).isEmpty();
		HeadObjectResponse head = fixture.head("in/plain/1124_2026_12_01.xml");
		assertThat(head.metadata()).containsEntry("ferry-sha256", sha256(clean))
			.containsEntry("ferry-verdict", "clean")
			.containsEntry("ferry-source", "plain")
			.containsKeys("ferry-scanner", "ferry-ledger-id", "ferry-source-path");
		assertThat(head.metadata().get("ferry-scanner")).startsWith("ClamAV ");

		Path quarantined = fixture.quarantine.resolve("plain/virus.com");
		assertThat(quarantined).hasBinaryContent(Clamd.eicar());
		assertThat(Files.getPosixFilePermissions(quarantined)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Files.getPosixFilePermissions(quarantined.getParent()))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
		JsonNode report = JsonMapper.builder()
			.build()
			.readTree(Files.readString(fixture.quarantine.resolve("plain/virus.com.report.json")));
		assertThat(report.get("source").asString()).isEqualTo("plain");
		assertThat(report.get("path").asString()).endsWith("/inbox-plain/virus.com");
		assertThat(report.get("size").asLong()).isEqualTo(68);
		assertThat(report.get("sha256").asString()).isEqualTo(sha256(Clamd.eicar()));
		assertThat(report.get("verdict").asString()).isEqualTo("infected");
		assertThat(report.get("signature").asString()).isEqualTo("Eicar-Test-Signature.UNOFFICIAL");
		assertThat(report.get("scanner").asString()).startsWith("ClamAV ");
		assertThat(report.get("time").asString()).isNotBlank();

		assertThat(fixture.states("plain")).containsExactlyInAnyOrderEntriesOf(
				Map.of("1124_2026_12_01.xml", "uploaded", "virus.com", "quarantined", "empty.csv", "uploaded"));
		Map<String, Object> virus = fixture.ledger("plain")
			.stream()
			.filter(row -> row.get("path").toString().endsWith("virus.com"))
			.findFirst()
			.orElseThrow();
		assertThat(virus).containsEntry("verdict", "infected")
			.containsEntry("signature", "Eicar-Test-Signature.UNOFFICIAL")
			.containsEntry("destination", quarantined.toString())
			.containsEntry("sha256", sha256(Clamd.eicar()));
		assertThat(log.getOut())
			.contains("File '" + fixture.inbox("plain") + "/1124_2026_12_01.xml' (0.00 MiB, sha256 " + sha256(clean)
					+ "): CLEAN, uploaded to s3://" + fixture.bucket + "/in/plain/1124_2026_12_01.xml (+ .done)")
			.contains("virus.com' (0.00 MiB, sha256 " + sha256(Clamd.eicar())
					+ "): INFECTED (Eicar-Test-Signature.UNOFFICIAL), quarantined to " + quarantined)
			.contains("Source 'plain': 2 uploaded, 1 quarantined (1 infected, 0 unscannable)")
			.contains("PING, EICAR and a probe past ferry.ingest.scanner.max-scan-size");
		assertThat(fixture.whereDidFileGo("virus.com")).contains("quarantined")
			.contains("Eicar-Test-Signature.UNOFFICIAL")
			.contains(quarantined.toString());
		assertThat(fixture.whereDidFileGo(sha256(clean)))
			.contains("s3://" + fixture.bucket + "/in/plain/1124_2026_12_01.xml");
		// the staging directory is left empty
		assertThat(fixture.work.resolve("staging")).isEmptyDirectory();

		// another run date finds the same versions in the ledger: nothing moves again
		Instant uploadedAt = fixture.head("in/plain/1124_2026_12_01.xml").lastModified();
		int rows = fixture.ledger("plain").size();
		InProcessCli.Result second = this.ferry.run("run", "ingest", "source=plain", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(fixture.ledger("plain")).hasSize(rows);
		assertThat(fixture.head("in/plain/1124_2026_12_01.xml").lastModified()).isEqualTo(uploadedAt);
		assertThat(log.getOut()).contains("Source 'plain': 3 file(s) listed, 0 new in the ledger")
			.contains("Source 'plain': 0 uploaded, 0 quarantined");

		// a changed file (new size and mtime) is a new version: ingested again
		byte[] changed = "id;amount\n1;42\n2;43\n".getBytes(StandardCharsets.UTF_8);
		Path file = fixture.write("plain", "1124_2026_12_01.xml", changed);
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
		InProcessCli.Result third = this.ferry.run("run", "ingest", "source=plain", "runDate=2026-12-03");
		assertThat(third.exitCode()).as(third.err()).isZero();
		assertThat(fixture.objects("plain").get("1124_2026_12_01.xml")).isEqualTo(changed);
		assertThat(fixture.ledger("plain")).hasSize(rows + 1);
		assertThat(fixture.ledger("plain").getLast()).containsEntry("state", "uploaded")
			.containsEntry("sha256", sha256(changed));
	}

	@Test
	void hostileNamesAreRejectedWithTheReasonAndNothingMoves(CapturedOutput log) throws Exception {
		Path inbox = fixture.inbox("hostile");
		fixture.write("hostile", "line\nbreak.txt", bytes("a"));
		fixture.write("hostile", "bell\u0007.txt", bytes("b"));
		fixture.write("hostile", "x.csv.done", bytes("c"));
		fixture.write("hostile", "y.csv.report.json", bytes("d"));
		fixture.write("hostile", "ok.csv", bytes("fine"));
		Files.createSymbolicLink(inbox.resolve("passwd"), Path.of("/etc/passwd"));
		Path outside = Files.writeString(fixture.work.resolve("outside.txt"), "secret");
		Files.createSymbolicLink(inbox.resolve("outside.txt"), outside);
		bash("touch " + inbox + "/$'latin1-\\xe9.txt'; mkfifo " + inbox + "/pipe");
		// S3Proxy's file system store cannot keep a key whose last segment is that long:
		// a quarantined one shows the report's name cut to 255 bytes
		String longName = "n".repeat(248) + ".xml";
		fixture.write("hostile", longName, Clamd.eicar());

		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=hostile", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err() + log.getOut()).isZero();

		Map<String, String> reasons = new java.util.TreeMap<>();
		for (Map<String, Object> row : fixture.ledger("hostile")) {
			String path = (String) row.get("path");
			reasons.put(path.substring(path.lastIndexOf('/') + 1), row.get("state") + ": " + row.get("error"));
		}
		assertThat(reasons).containsEntry("line\\nbreak.txt", "rejected: the name holds a line break")
			.containsEntry("bell\\x07.txt", "rejected: the name holds a control character")
			.containsEntry("latin1-\uFFFD.txt", "rejected: the name is not valid UTF-8 (or holds U+FFFD)")
			.containsEntry("passwd", "rejected: it is a symbolic link; Ferry never follows links")
			.containsEntry("outside.txt", "rejected: it is a symbolic link; Ferry never follows links")
			.containsEntry("pipe", "rejected: it is not a regular file (a device, socket or FIFO)")
			.containsEntry("ok.csv", "uploaded: null")
			.containsEntry(longName, "quarantined: null");
		assertThat(reasons.get("x.csv.done")).startsWith("rejected: the name ends in '.done'");
		assertThat(reasons.get("y.csv.report.json")).startsWith("rejected: the name ends in '.report.json'");
		assertThat(fixture.keys("in/hostile/")).containsExactly("in/hostile/ok.csv", "in/hostile/ok.csv.done");
		// the long name's report is cut to 255 bytes and named by a hash of the whole
		try (var quarantined = Files.list(fixture.quarantine.resolve("hostile"))) {
			List<String> names = quarantined.map(path -> path.getFileName().toString()).sorted().toList();
			assertThat(names).hasSize(2).contains(longName);
			assertThat(names.getLast()).hasSize(255).matches("n+~[0-9a-f]{16}\\.report\\.json");
		}
		// a newline in a name cannot forge a log line
		assertThat(log.getOut())
			.contains("File '" + inbox + "/line\\nbreak.txt': REJECTED: the name holds a line break")
			.doesNotContain("\nbreak.txt");
		assertThat(inbox.resolve("passwd")).isSymbolicLink();
	}

	@Test
	void postActionsRunOnceTheLedgerSaysStored() throws Exception {
		fixture.write("deleting", "a.csv", bytes("a"));
		fixture.write("deleting", "sub/b.csv", bytes("b"));
		fixture.write("deleting", "sub/virus.com", Clamd.eicar());
		InProcessCli.Result deleted = this.ferry.run("run", "ingest", "source=deleting", "runDate=2026-12-01");
		assertThat(deleted.exitCode()).as(deleted.err()).isZero();
		assertThat(fixture.objects("deleting")).containsOnlyKeys("a.csv", "a.csv.done", "sub/b.csv", "sub/b.csv.done");
		assertThat(fixture.quarantine.resolve("deleting/sub/virus.com")).hasBinaryContent(Clamd.eicar());
		assertThat(fixture.states("deleting")).containsOnly(Map.entry("a.csv", "source_cleaned"),
				Map.entry("sub/b.csv", "source_cleaned"), Map.entry("sub/virus.com", "source_cleaned"));
		assertThat(fixture.inbox("deleting").resolve("a.csv")).doesNotExist();
		assertThat(fixture.inbox("deleting").resolve("sub/virus.com")).doesNotExist();

		fixture.write("moving", "c.csv", bytes("c"));
		InProcessCli.Result moved = this.ferry.run("run", "ingest", "source=moving", "runDate=2026-12-01");
		assertThat(moved.exitCode()).as(moved.err()).isZero();
		assertThat(fixture.objects("moving")).containsOnlyKeys("c.csv");
		Path movedTo = Path.of(System.getProperty("java.io.tmpdir"))
			.toAbsolutePath()
			.resolve("ferry-ingest-moved-" + ProcessHandle.current().pid() + "/c.csv");
		assertThat(movedTo).hasBinaryContent(bytes("c"));
		assertThat(fixture.inbox("moving").resolve("c.csv")).doesNotExist();
		assertThat(fixture.states("moving")).containsOnly(Map.entry("c.csv", "source_cleaned"));
	}

	@Test
	void aVersionThatChangedBeforeItsDownloadFailsAndTheNewVersionIsIngested() throws Exception {
		Path file = fixture.write("changing", "a.csv", bytes("now"));
		// the ledger holds a version listed earlier (another size), as a killed run
		// leaves it
		fixture.jdbc.update("""
				INSERT INTO ferry_ingest_file (source, directory, path, size, mtime, state)
				VALUES ('changing', ?, ?, 1000, now() - interval '1 hour', 'listed')""",
				fixture.inbox("changing").toString(), file.toString());
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=changing", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();
		List<Map<String, Object>> rows = fixture.ledger("changing");
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0)).containsEntry("state", "failed").containsEntry("destination", null);
		assertThat((String) rows.get(0).get("error"))
			.startsWith("it changed at the source since it was listed (now 3 bytes");
		assertThat(rows.get(1)).containsEntry("state", "uploaded").containsEntry("size", 3L);
		assertThat(fixture.objects("changing")).containsOnlyKeys("a.csv", "a.csv.done");
		// states only move forward: the ledger refuses to take a failed row back
		assertThatThrownBy(() -> fixture.jdbc.update("UPDATE ferry_ingest_file SET state = 'listed' WHERE id = ?",
				rows.get(0).get("id")))
			.hasMessageContaining("state failed cannot become listed");
	}

	@Test
	void anUnknownSourceIsAUsageError() {
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=nope");
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("no source 'nope' is configured")
			.contains("[changing, deleting, hostile, moving, plain]");
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String sha256(byte[] content) {
		return HexFormat.of().formatHex(Digests.sha256().digest(content));
	}

	static void bash(String script) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("bash", "-c", script).inheritIO().start();
		assertThat(process.waitFor()).as(script).isZero();
	}

}
