package dev.ferry.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Ferry process killed with SIGKILL, or stopped with SIGTERM, in the middle of its
 * files, four in flight at once ({@code concurrency=4}): the next run with the same
 * parameters takes every file up where its last committed ledger transition left it.
 * Afterwards every file is exactly once in S3 (with its marker) or in quarantine, the
 * source is empty (post-action delete), every ledger row is final, and no file was
 * uploaded twice.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class })
class IngestCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int FILES = 60;

	final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd()).local("crash",
			"post-action=delete", "concurrency=4");

	final Map<String, byte[]> clean = new TreeMap<>();

	final List<String> infected = new ArrayList<>();

	final String[] run = { "run", "ingest", "source=crash", "runDate=2026-12-01" };

	@Test
	void aKilledRunResumesEveryFileFromItsLastCommittedState() throws Exception {
		writeFiles(FILES);
		Runs runs = killAndResume(this.fixture, "crash", FILES);
		assertThat(runs.resumed()).contains("no process holds its run lock");
		assertEveryFileOnce(runs.killed(), runs.resumed());
	}

	@Test
	void aStoppedRunEndsPromptlyAndTheRestartCompletes() throws Exception {
		// enough files that the run cannot end by itself before the stop is seen
		writeFiles(5 * FILES);
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String stopped;
		try (FerryProcess doomed = ferry.start(this.run)) {
			doomed.awaitLine(line -> line.contains("CLEAN, uploaded to"), TIMEOUT);
			doomed.terminate();
			long asked = System.nanoTime();
			assertThat(doomed.waitFor(TIMEOUT)).as(doomed.output()).isEqualTo(3);
			// a chunk is a second; the transitions in flight are small files
			assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("time from SIGTERM to exit")
				.isLessThan(Duration.ofSeconds(15));
			stopped = doomed.output();
		}
		assertThat(stopped).contains("Received SIGTERM");
		assertThat(stored(this.fixture, "crash")).as("files stored before the stop").isBetween(1, 5 * FILES - 1);

		String resumed;
		try (FerryProcess again = ferry.start(this.run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}
		assertEveryFileOnce(stopped, resumed);
	}

	private void writeFiles(int files) {
		Random random = new Random(7);
		for (int i = 0; i < files; i++) {
			if (i % 10 == 3) {
				String name = "virus-%03d.com".formatted(i);
				this.fixture.write("crash", name, Clamd.eicar());
				this.infected.add(name);
			}
			else {
				byte[] content = new byte[50_000 + random.nextInt(150_000)];
				random.nextBytes(content);
				String name = "file-%03d.bin".formatted(i);
				this.fixture.write("crash", name, content);
				this.clean.put(name, content);
			}
		}
	}

	private void assertEveryFileOnce(String killed, String resumed) throws Exception {
		Map<String, byte[]> clean = this.clean;
		List<String> infected = this.infected;
		// every file exactly once where it belongs, and nothing left at the source
		Map<String, byte[]> objects = this.fixture.objects("crash");
		assertThat(objects).hasSize(2 * clean.size());
		clean.forEach((name, content) -> {
			assertThat(objects.get(name)).as(name).isEqualTo(content);
			assertThat(objects.get(name + ".done")).as(name + ".done").isEmpty();
		});
		for (String name : infected) {
			assertThat(this.fixture.quarantine.resolve("crash").resolve(name)).hasBinaryContent(Clamd.eicar());
			assertThat(this.fixture.quarantine.resolve("crash").resolve(name + ".report.json")).exists();
		}
		try (var left = Files.list(this.fixture.inbox("crash"))) {
			assertThat(left.map(Path::getFileName).toList()).as("files left at the source").isEmpty();
		}
		try (var quarantined = Files.list(this.fixture.quarantine.resolve("crash"))) {
			assertThat(quarantined.count()).isEqualTo(2L * infected.size());
		}

		// one final ledger row per file, and each object written by that row
		List<Map<String, Object>> rows = this.fixture.ledger("crash");
		assertThat(rows).hasSize(clean.size() + infected.size())
			.allSatisfy(row -> assertThat(row).containsEntry("state", "source_cleaned"));
		for (Map<String, Object> row : rows) {
			String name = ((String) row.get("path")).substring(((String) row.get("path")).lastIndexOf('/') + 1);
			if (clean.containsKey(name)) {
				assertThat(this.fixture.head("in/crash/" + name).metadata()).containsEntry("ferry-ledger-id",
						row.get("id").toString());
			}
		}

		assertUploadedOnce(killed, resumed, clean.size());
	}

	/** The output of the run killed mid-way, and of the run after it. */
	record Runs(String killed, String resumed) {
	}

	/**
	 * Runs ingest of a source in a Ferry process, kills it with SIGKILL once 12 files are
	 * stored (and before all {@code files} are), and runs it again to the end.
	 */
	static Runs killAndResume(IngestFixture fixture, String source, int files) {
		String[] run = { "run", "ingest", "source=" + source, "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(fixture.settings());
		String killed;
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> stored(fixture, source) >= 12, TIMEOUT);
			killed = doomed.output();
		}
		assertThat(stored(fixture, source)).as("files stored before the kill").isBetween(12, files - 1);
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			return new Runs(killed, again.output());
		}
	}

	/**
	 * No file was uploaded twice: each upload is logged once over both runs (a PUT cut
	 * off before its log line shows in the second run as found, not uploaded again), and
	 * the restart did not start over.
	 */
	static void assertUploadedOnce(String killed, String resumed, int clean) {
		List<String> uploads = new ArrayList<>(uploadLines(killed));
		uploads.addAll(uploadLines(resumed));
		assertThat(uploads.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
			.allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1L));
		assertThat(uploadLines(resumed)).as("uploads after the restart").hasSizeLessThan(clean);
	}

	static List<String> uploadLines(String output) {
		return output.lines()
			.filter(line -> line.contains("CLEAN, uploaded to"))
			.map(line -> line.substring(line.lastIndexOf('/') + 1))
			.toList();
	}

	/** The files of a source that are stored (uploaded or quarantined) by now. */
	static int stored(IngestFixture fixture, String source) {
		Integer count = fixture.jdbc.queryForObject("""
				SELECT count(*) FROM ferry_ingest_file WHERE source = ?
				AND state IN ('uploaded', 'quarantined', 'source_cleaned')""", Integer.class, source);
		return (count != null) ? count : 0;
	}

}
