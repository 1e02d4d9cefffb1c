package dev.ferry.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Ferry process killed with SIGKILL in the middle of a flagged folder, while the parts
 * of a large object go out after many small objects: the transfer is recorded STARTED,
 * not done; the next run with the same parameters resumes after the last committed key
 * and the large object from its next part, sends the flag last, and records the transfer
 * once. Every object is at the destination exactly once, byte for byte, and none was sent
 * twice. The same for a DIRECTORY route, whose files appear whole or not at all.
 */
@ExtendWith(S3ProxyExtension.class)
class RouteEgressCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int PARTS = 12;

	final EgressFixture fixture = new EgressFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.source("killed", "ferry.s3-egress.chunk-keys=10", "ferry.s3-egress.concurrency=2");

	@Test
	void aKilledTransferResumesWhereItStoppedAndIsRecordedOnce() {
		String destination = this.fixture.targetEndpoint.createBucket("eg-crash");
		this.fixture.repositoryJdbc.update("""
				INSERT INTO ferry_route (source_bucket, source_prefix, pipeline_name, transfer_type,
					destination_endpoint, destination_bucket, destination_prefix)
				VALUES (?, 'batch/', 'crash', 'S3', ?, ?, 'landed/')""", this.fixture.bucket("killed"),
				EgressFixture.TARGET, destination);
		for (int i = 0; i < 40; i++) {
			this.fixture.put("killed", "batch/2026-12-01/a/%03d".formatted(i), MirrorJobTest.random(1000 + i, i));
		}
		this.fixture.put("killed", "batch/2026-12-01/b/large.bin",
				MirrorJobTest.random(PARTS * 5 * 1024 * 1024 - 100, 99));
		for (int i = 0; i < 15; i++) {
			this.fixture.put("killed", "batch/2026-12-01/c/%03d".formatted(i), MirrorJobTest.random(2000 + i, 100 + i));
		}
		this.fixture.flag("killed", "batch/2026-12-01/");
		String[] run = { "run", "s3Egress", "source=killed", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String killed;
		int partsAtKill;
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> uploadedParts(destination) >= 2, TIMEOUT);
			partsAtKill = uploadedParts(destination);
			killed = doomed.output();
		}
		assertThat(partsAtKill).isBetween(2, PARTS - 1);
		assertThat(this.fixture.transfers("crash")).containsExactly("STARTED:batch/2026-12-01/pipeline_success.flag:0");
		assertThat(this.fixture.targetObjects(destination, "landed"))
			.doesNotContainKey("2026-12-01/pipeline_success.flag");

		String resumed;
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}
		Map<String, byte[]> source = this.fixture.sourceObjects("killed", "batch");
		Map<String, byte[]> sent = this.fixture.targetObjects(destination, "landed");
		assertThat(sent.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(sent.get(key)).as(key).isEqualTo(content));
		assertThat(uploadedParts(destination)).as("parts of open uploads").isZero();
		assertThat(this.fixture.transfers("crash"))
			.containsExactly("TRANSFERRED:batch/2026-12-01/pipeline_success.flag:" + source.size());

		CrashLog.assertResumedLargeObject(resumed, partsAtKill);
		// every key is logged as copied once over both runs: nothing committed was copied
		// again
		CrashLog.assertEachCopiedOnce(killed, resumed, source.size(), 40);
	}

	/**
	 * A DIRECTORY route (the volume an SFT sidecar drains), killed while its files are
	 * written: the directory then holds whole files only, never the flag; the next run
	 * resumes, and the directory ends with exactly the source's files, byte for byte, no
	 * part file left, the flag recorded once. Only the objects of the chunk the kill cut
	 * off are written a second time (over themselves).
	 */
	@Test
	void aKilledTransferToADirectoryResumesAndLeavesExactlyTheSourceFiles() {
		this.fixture.repositoryJdbc.update("""
				INSERT INTO ferry_route (source_bucket, source_prefix, pipeline_name, transfer_type, directory)
				VALUES (?, 'batch/', 'crash#sft', 'DIRECTORY', 'outbox')""", this.fixture.bucket("killed"));
		int objects = 300;
		for (int i = 0; i < objects; i++) {
			this.fixture.put("killed", "batch/2026-12-01/%s/%03d".formatted((i < 150) ? "a" : "b", i),
					MirrorJobTest.random(3000 + i * 7, i));
		}
		this.fixture.put("killed", "batch/2026-12-01/c/large.bin", MirrorJobTest.random(7 * 1024 * 1024 + 1, 77));
		this.fixture.flag("killed", "batch/2026-12-01/");
		String[] run = { "run", "s3Egress", "source=killed", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String killed;
		int filesAtKill;
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> wholeFiles() >= 40, TIMEOUT);
			filesAtKill = wholeFiles();
			killed = doomed.output();
		}
		assertThat(filesAtKill).as("killed mid-transfer").isBetween(40, objects - 1);
		assertThat(this.fixture.files("outbox")).doesNotContainKey("2026-12-01/pipeline_success.flag");
		assertThat(this.fixture.transfers("crash#sft"))
			.containsExactly("STARTED:batch/2026-12-01/pipeline_success.flag:0");

		String resumed;
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}
		Map<String, byte[]> source = this.fixture.sourceObjects("killed", "batch");
		// dot files included: no part file is left behind
		Map<String, byte[]> files = this.fixture.files("outbox");
		assertThat(files.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(files.get(key)).as(key).isEqualTo(content));
		assertThat(this.fixture.transfers("crash#sft"))
			.containsExactly("TRANSFERRED:batch/2026-12-01/pipeline_success.flag:" + source.size());
		CrashLog.assertWrittenAgainAtMostOneChunk(killed, resumed, source.size(), 10);
	}

	/** Files of the destination directory under their final names. */
	private int wholeFiles() {
		Path outbox = this.fixture.root.resolve("outbox");
		if (!Files.isDirectory(outbox)) {
			return 0;
		}
		try (Stream<Path> walk = Files.walk(outbox)) {
			return (int) walk
				.filter(file -> Files.isRegularFile(file) && !file.getFileName().toString().startsWith("."))
				.count();
		}
		catch (IOException | UncheckedIOException ex) {
			// a part file renamed while the walk looked at it: count again at the next
			// poll
			return 0;
		}
	}

	private int uploadedParts(String bucket) {
		return CrashLog.uploadedParts(this.fixture.target, bucket);
	}

}
