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
 * {@code decompress=gz} killed with SIGKILL in the middle of its files (between a file's
 * unpacking, its scan and its upload, which are separate chunks): the rerun unpacks again
 * what it needs, and afterwards every file is exactly once in S3, unpacked, or in
 * quarantine, as it was downloaded; no upload happened twice; staging is empty.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class })
class IngestUnpackCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int FILES = 24;

	final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd()).local("gzcrash",
			"post-action=delete", "decompress=gz");

	@Test
	void aKilledRunResumesAndEveryUnpackedFileIsUploadedOnce() throws Exception {
		Map<String, byte[]> clean = new TreeMap<>();
		List<String> infected = new ArrayList<>();
		Random random = new Random(11);
		for (int i = 0; i < FILES; i++) {
			if (i % 10 == 4) {
				String name = "virus-%02d.com.gz".formatted(i);
				this.fixture.write("gzcrash", name, Archives.gzip(Clamd.eicar()));
				infected.add(name);
			}
			else {
				// half random, half text: some unpack to much more than they download
				byte[] content = new byte[50_000 + random.nextInt(150_000)];
				random.nextBytes(content);
				java.util.Arrays.fill(content, content.length / 2, content.length, (byte) 'x');
				String name = "file-%02d.bin".formatted(i);
				this.fixture.write("gzcrash", name + ".gz", Archives.gzip(content));
				clean.put(name, content);
			}
		}
		String[] run = { "run", "ingest", "source=gzcrash", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String killed;
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> stored() >= 6, TIMEOUT);
			killed = doomed.output();
		}
		assertThat(stored()).as("files stored before the kill").isBetween(6, FILES - 1);
		String resumed;
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}

		Map<String, byte[]> objects = this.fixture.objects("gzcrash");
		assertThat(objects).hasSize(2 * clean.size());
		clean.forEach((name, content) -> {
			assertThat(objects.get(name)).as(name).isEqualTo(content);
			assertThat(objects.get(name + ".done")).as(name + ".done").isEmpty();
		});
		for (String name : infected) {
			assertThat(this.fixture.quarantine.resolve("gzcrash").resolve(name))
				.hasBinaryContent(Archives.gzip(Clamd.eicar()));
		}
		try (var left = Files.list(this.fixture.inbox("gzcrash"))) {
			assertThat(left.map(Path::getFileName).toList()).as("files left at the source").isEmpty();
		}
		assertThat(this.fixture.ledger("gzcrash")).hasSize(FILES)
			.allSatisfy(row -> assertThat(row).containsEntry("state", "source_cleaned"));
		assertThat(this.fixture.work.resolve("staging")).isEmptyDirectory();

		List<String> uploads = new ArrayList<>(IngestCrashTest.uploadLines(killed));
		uploads.addAll(IngestCrashTest.uploadLines(resumed));
		assertThat(uploads).hasSizeLessThanOrEqualTo(clean.size());
		assertThat(uploads.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
			.allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1L));
	}

	private int stored() {
		Integer count = this.fixture.jdbc.queryForObject("""
				SELECT count(*) FROM ferry_ingest_file WHERE source = 'gzcrash'
				AND state IN ('uploaded', 'quarantined', 'source_cleaned')""", Integer.class);
		return (count != null) ? count : 0;
	}

}
