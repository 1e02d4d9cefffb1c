package dev.ferry.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.ferry.common.batch.JobShare;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ingest as a Kubernetes Indexed Job: three processes started at once against one
 * repository (one ledger), one clamd and one bucket, each with its index ({@code part})
 * and the count ({@code parts}), one of them killed with SIGKILL mid-way and run again.
 * Together they leave what one process alone leaves of a twin source with the same files:
 * the same objects, the same quarantine, every ledger row final; each file worked on by
 * the pod whose share it is, and uploaded once.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class })
class IngestScaleOutTest {

	static final Duration TIMEOUT = Duration.ofSeconds(300);

	static final int FILES = 60;

	static final int PARTS = 3;

	final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd())
		.local("single", "post-action=delete")
		.local("scaled", "post-action=delete");

	@Test
	void threePodsIngestWhatOneProcessIngestsEachFileOnceAndAKilledPodResumesItsShare() throws Exception {
		populate("single");
		populate("scaled");
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String alone;
		try (FerryProcess single = ferry.start(run("single"))) {
			assertThat(single.waitFor(TIMEOUT)).as(single.output()).isZero();
			alone = single.output();
		}

		List<String> outputs = new ArrayList<>();
		List<FerryProcess> pods = new ArrayList<>();
		for (int part = 0; part < PARTS; part++) {
			pods.add(ferry.start(run("scaled", "part=" + part, "parts=" + PARTS)));
		}
		FerryProcess doomed = pods.get(1);
		doomed.killWhen(() -> uploads(doomed.output()).size() >= 3, TIMEOUT);
		String killed = doomed.output();
		for (FerryProcess pod : pods) {
			try (pod) {
				if (pod != doomed) {
					assertThat(pod.waitFor(TIMEOUT)).as(pod.output()).isZero();
				}
				outputs.add(pod.output());
			}
		}
		assertThat(nonFinal()).as("rows the killed pod left").isPositive();
		try (FerryProcess again = ferry.start(run("scaled", "part=1", "parts=" + PARTS))) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			outputs.add(again.output());
		}

		// the union of the shares is what one process does alone
		Map<String, byte[]> single = this.fixture.objects("single");
		Map<String, byte[]> scaled = this.fixture.objects("scaled");
		assertThat(scaled.keySet()).containsExactlyElementsOf(single.keySet()).hasSize(2 * (FILES - FILES / 10));
		single.forEach((key, content) -> assertThat(scaled.get(key)).as(key).isEqualTo(content));
		assertThat(names(this.fixture.quarantine.resolve("scaled")))
			.containsExactlyElementsOf(names(this.fixture.quarantine.resolve("single")))
			.hasSize(2 * (FILES / 10));
		assertThat(this.fixture.states("scaled")).isEqualTo(this.fixture.states("single"))
			.hasSize(FILES)
			.allSatisfy((path, state) -> assertThat(state).as(path).isEqualTo("source_cleaned"));
		assertThat(names(this.fixture.inbox("scaled"))).as("files left at the source").isEmpty();

		// nothing done twice: each file uploaded once, by the pod whose share it is
		List<String> uploaded = outputs.stream().flatMap(output -> uploads(output).stream()).toList();
		assertThat(uploaded.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
			.allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1L));
		// a file the kill caught after its PUT but before the ledger said uploaded shows
		// in the rerun as found, not as uploaded again: either its log line was cut off
		// too, or the killed pod logged it (never another pod)
		List<String> found = outputs.stream().flatMap(output -> found(output).stream()).toList();
		assertThat(found.stream().filter(uploaded::contains).toList())
			.as("found stored by the rerun that a pod logged as uploaded")
			.isSubsetOf(uploads(killed));
		assertThat(Stream.concat(uploaded.stream(), found.stream()).distinct().toList())
			.containsExactlyInAnyOrderElementsOf(uploads(alone));
		assertThat(uploads(killed)).as("uploaded before the kill").hasSizeGreaterThanOrEqualTo(3);
		for (Map<String, Object> row : this.fixture.jdbc.queryForList("""
				SELECT f.path, p.parameter_value AS part FROM ferry_ingest_file f
				JOIN batch_job_execution_params p ON p.job_execution_id = f.job_execution_id
					AND p.parameter_name = 'part'
				WHERE f.source = 'scaled'""")) {
			String path = (String) row.get("path");
			assertThat(new JobShare(Integer.parseInt((String) row.get("part")), PARTS).includes(path))
				.as(path + " done by part " + row.get("part"))
				.isTrue();
		}
		assertThat(outputs).as("every pod had files").allSatisfy(output -> assertThat(uploads(output)).isNotEmpty());
	}

	/** 60 files, every tenth infected, a third with a non-ASCII name. */
	private void populate(String source) {
		Random random = new Random(11);
		for (int i = 0; i < FILES; i++) {
			if (i % 10 == 3) {
				this.fixture.write(source, "virus-%02d.com".formatted(i), Clamd.eicar());
			}
			else {
				byte[] content = new byte[20_000 + random.nextInt(100_000)];
				random.nextBytes(content);
				this.fixture.write(source, ((i % 3 == 0) ? "Überweisung-" : "file-") + "%02d.bin".formatted(i),
						content);
			}
		}
	}

	private static String[] run(String source, String... share) {
		List<String> arguments = new ArrayList<>(List.of("run", "ingest", "source=" + source, "runDate=2026-12-01"));
		arguments.addAll(List.of(share));
		return arguments.toArray(String[]::new);
	}

	private int nonFinal() {
		Integer count = this.fixture.jdbc.queryForObject(
				"SELECT count(*) FROM ferry_ingest_file WHERE source = 'scaled' AND state <> 'source_cleaned'",
				Integer.class);
		return (count != null) ? count : 0;
	}

	/** The names a run's output logs as uploaded clean. */
	private static List<String> uploads(String output) {
		return objectsLogged(output, "CLEAN, uploaded to");
	}

	private static List<String> found(String output) {
		return objectsLogged(output, "CLEAN, found already uploaded");
	}

	private static List<String> objectsLogged(String output, String verdict) {
		return output.lines()
			.filter(line -> line.contains(verdict))
			.map(line -> line.substring(line.lastIndexOf('/') + 1))
			.toList();
	}

	private static List<String> names(Path directory) throws java.io.IOException {
		try (var files = Files.list(directory)) {
			return files.map(path -> path.getFileName().toString()).sorted().toList();
		}
	}

}
