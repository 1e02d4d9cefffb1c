package dev.ferry.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * s3-mirror as a Kubernetes Indexed Job: three processes started at once against one
 * repository and the same buckets, each with its index ({@code part}) and the count
 * ({@code parts}), one of them killed with SIGKILL mid-way and run again. Together they
 * leave the target exactly as one process alone leaves a twin mirror of the same objects:
 * every new or changed key copied, every extra deleted, each by one pod only and once.
 */
@ExtendWith(S3ProxyExtension.class)
class MirrorScaleOutTest {

	/** The name of a file S3Proxy writes a PUT to before it renames it (see removed). */
	private static final Pattern S3PROXY_TEMPORARY = Pattern
		.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	static final Duration TIMEOUT = Duration.ofSeconds(300);

	static final int PARTS = 3;

	final MirrorFixture fixture = new MirrorFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.mirror("single", "chunk-keys=3", "concurrency=1", "remove-extra=true", "max-delete=100%")
		.mirror("scaled", "chunk-keys=3", "concurrency=1", "remove-extra=true", "max-delete=100%");

	@Test
	void threePodsMirrorWhatOneProcessMirrorsEachKeyOnceAndAKilledPodResumesItsShare() {
		populate("single");
		populate("scaled");
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());

		List<String> outputs = new ArrayList<>();
		List<FerryProcess> pods = new ArrayList<>();
		for (int part = 0; part < PARTS; part++) {
			pods.add(ferry.start(run("scaled", "part=" + part, "parts=" + PARTS)));
		}
		FerryProcess doomed = pods.get(1);
		doomed.killWhen(() -> copied(doomed.output()).size() >= 4, TIMEOUT);
		String killed = doomed.output();
		assertThat(killed).as("killed before its share was done").doesNotContain("Total:");
		for (FerryProcess pod : pods) {
			try (pod) {
				if (pod != doomed) {
					assertThat(pod.waitFor(TIMEOUT)).as(pod.output()).isZero();
				}
				outputs.add(pod.output());
			}
		}
		// the twin mirror, alone, between the pods and the re-run of the killed one
		String alone;
		try (FerryProcess single = ferry.start(run("single"))) {
			assertThat(single.waitFor(TIMEOUT)).as(single.output()).isZero();
			alone = single.output();
		}
		try (FerryProcess again = ferry.start(run("scaled", "part=1", "parts=" + PARTS))) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			assertThat(again.output()).contains("resuming after");
			outputs.add(again.output());
		}

		// the union of the shares is what one process does alone
		Map<String, byte[]> source = this.fixture.sourceObjects("scaled");
		Map<String, byte[]> target = this.fixture.targetObjects("scaled");
		assertThat(target.keySet()).containsExactlyElementsOf(source.keySet())
			.containsExactlyElementsOf(this.fixture.targetObjects("single").keySet());
		source.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));

		// nothing done twice: each key copied, each extra removed, by one pod once
		List<String> copied = outputs.stream().flatMap(output -> copied(output).stream()).toList();
		assertThat(counts(copied)).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1L));
		assertThat(copied).containsExactlyInAnyOrderElementsOf(copied(alone));
		List<String> removed = outputs.stream().flatMap(output -> removed(output).stream()).toList();
		assertThat(counts(removed)).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1L));
		assertThat(removed).containsExactlyInAnyOrderElementsOf(removed(alone)).hasSize(10);
		assertThat(copied(killed)).as("copied before the kill").hasSizeGreaterThanOrEqualTo(4);
		assertThat(this.fixture.repositoryJdbc.queryForObject("""
				SELECT count(DISTINCT parameters) FROM ferry_job_history
				WHERE status = 'COMPLETED' AND parameters LIKE '%mirror=scaled%' AND parameters LIKE '%parts=3%'""",
				Integer.class))
			.as("one completed instance per index")
			.isEqualTo(PARTS);

		// ferry history: the four executions of the scaled run together, though the
		// single
		// run came between the killed pod and its re-run
		try (FerryProcess history = ferry.start("history", "--job", "s3Mirror")) {
			assertThat(history.waitFor(TIMEOUT)).as(history.output()).isZero();
			assertThat(history.output()
				.lines()
				.filter(line -> line.contains("mirror="))
				.map(line -> line.contains("mirror=scaled") ? "scaled" : "single")
				.toList()).as(history.output()).containsExactly("scaled", "scaled", "scaled", "scaled", "single");
		}
	}

	/**
	 * 72 objects of which 6 are already in the target and 6 changed there, and 10 extras
	 * that only the target has.
	 */
	private void populate(String mirror) {
		for (int i = 0; i < 72; i++) {
			String key = (i % 4 == 0) ? "dir ü/файл %03d.bin".formatted(i) : "a/%03d".formatted(i);
			byte[] content = MirrorJobTest.random(20_000 + 1000 * i, i);
			this.fixture.putSource(mirror, key, content);
			if (i % 12 == 1) {
				this.fixture.putTarget(mirror, key, content);
			}
			else if (i % 12 == 2) {
				this.fixture.putTarget(mirror, key, MirrorJobTest.random(1000, -i));
			}
		}
		for (int i = 0; i < 10; i++) {
			this.fixture.putTarget(mirror, "gone/%02d".formatted(i), MirrorJobTest.random(10, 500 + i));
		}
	}

	private static String[] run(String mirror, String... share) {
		List<String> arguments = new ArrayList<>(List.of("run", "s3Mirror", "mirror=" + mirror, "runDate=2026-12-01"));
		arguments.addAll(List.of(share));
		return arguments.toArray(String[]::new);
	}

	/** The source keys (relative) a run's output logs as copied. */
	private static List<String> copied(String output) {
		String marker = "/" + MirrorFixture.SOURCE_PREFIX + "/";
		return output.lines()
			.filter(line -> line.contains("` -> `") && !line.contains("RESUMED"))
			.map(line -> line.substring(line.indexOf(marker) + marker.length(), line.indexOf("` -> `")))
			.toList();
	}

	/**
	 * The target keys (relative) a run's output logs as removed, but S3Proxy's temporary
	 * files: its filesystem store writes a PUT to {@code <key>-<UUID>} and renames it, so
	 * the PUT that the kill interrupts leaves such a file, which S3Proxy then lists as an
	 * object, and a later run rightly removes as extra (S3 keeps nothing of an unfinished
	 * PUT).
	 */
	private static List<String> removed(String output) {
		String marker = "/" + MirrorFixture.TARGET_PREFIX + "/";
		return output.lines()
			.filter(line -> line.contains("Removed "))
			.map(line -> line.substring(line.indexOf(marker) + marker.length(), line.lastIndexOf('`')))
			.filter(key -> !S3PROXY_TEMPORARY.matcher(key).matches())
			.toList();
	}

	private static Map<String, Long> counts(List<String> keys) {
		return keys.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

}
