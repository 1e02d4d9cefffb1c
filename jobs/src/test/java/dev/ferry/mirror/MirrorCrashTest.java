package dev.ferry.mirror;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Ferry process killed with SIGKILL while it copies the parts of a large object, after
 * many small ones: the next run with the same parameters resumes after the last committed
 * key, continues the large object's upload from its next part, and the target is byte for
 * byte the source; no object is copied twice. Several large objects copied at once,
 * killed, each continue their own upload from its next part. A run that skips objects
 * within its skip limit, killed, records every skipped key exactly once.
 */
@ExtendWith(S3ProxyExtension.class)
class MirrorCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int PARTS = 12;

	/** Large objects of the batch test, and parts of each. */
	static final int LARGE_OBJECTS = 3;

	static final int BATCH_PARTS = 6;

	final MirrorFixture fixture = new MirrorFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.mirror("killed", "chunk-keys=10", "concurrency=2")
		.mirror("skipkill", "chunk-keys=2", "concurrency=2", "skip-limit=100")
		.mirror("batch", "concurrency=" + LARGE_OBJECTS)
		.mirror("staggered", "concurrency=3");

	@Test
	void aKilledMirrorResumesAfterItsCheckpointAndALargeObjectFromItsNextPart() {
		for (int i = 0; i < 60; i++) {
			this.fixture.putSource("killed", "a/%03d".formatted(i), MirrorJobTest.random(1000 + i, i));
		}
		this.fixture.putSource("killed", "b/large.bin", MirrorJobTest.random(PARTS * 5 * 1024 * 1024 - 100, 99));
		for (int i = 0; i < 20; i++) {
			this.fixture.putSource("killed", "c/%03d".formatted(i), MirrorJobTest.random(2000 + i, 100 + i));
		}
		String[] run = { "run", "s3Mirror", "mirror=killed", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String killed;
		int partsAtKill;
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> uploadedParts() >= 2, TIMEOUT);
			partsAtKill = uploadedParts();
			killed = doomed.output();
		}
		assertThat(partsAtKill).isBetween(2, PARTS - 1);

		String resumed;
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}
		Map<String, byte[]> source = this.fixture.sourceObjects("killed");
		Map<String, byte[]> target = this.fixture.targetObjects("killed");
		assertThat(target.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));
		assertThat(uploadedParts()).as("parts of open uploads").isZero();

		CrashLog.assertResumedLargeObject(resumed, partsAtKill);
		// every key is logged as copied once over both runs: nothing committed was copied
		// again
		CrashLog.assertEachCopiedOnce(killed, resumed, source.size(), 60);
	}

	/**
	 * Three large objects of six 5 MiB parts, copied at once ({@code concurrency=3}),
	 * killed once two parts are uploaded: all three uploads were open then, and the rerun
	 * continues each of them from its next part. Each object's parts are sent at most
	 * once more than it has over both runs (the parts its upload held at the kill, less
	 * those the resumed run found acknowledged, are at most one), no upload is left open,
	 * and the target is byte for byte the source.
	 */
	@Test
	void aKilledMirrorResumesEachOfSeveralLargeObjectsCopiedAtOnce() {
		this.fixture.putSource("batch", "a/small", MirrorJobTest.random(3000, 1));
		for (int i = 0; i < LARGE_OBJECTS; i++) {
			this.fixture.putSource("batch", "b/large-%d.bin".formatted(i),
					MirrorJobTest.random(BATCH_PARTS * 5 * 1024 * 1024 - 100 * (i + 1), 200 + i));
		}
		this.fixture.putSource("batch", "c/small", MirrorJobTest.random(4000, 2));
		String[] run = { "run", "s3Mirror", "mirror=batch", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String bucket = this.fixture.pair("batch").target();
		Killed kill = killWhen(ferry, run, bucket, doomed -> CrashLog.uploadedParts(this.fixture.target, bucket) >= 2);
		String killed = kill.output();
		Map<String, Integer> partsAtKill = kill.partsAtKill();
		assertThat(partsAtKill).as("uploads open at the kill: copied at once")
			.containsOnlyKeys("copy/b/large-0.bin", "copy/b/large-1.bin", "copy/b/large-2.bin");
		assertThat(partsAtKill.values().stream().mapToInt(Integer::intValue).sum()).isBetween(2,
				LARGE_OBJECTS * BATCH_PARTS - 1);

		String resumed = rerunToTheSource(ferry, run, "batch", bucket);
		Map<String, byte[]> source = this.fixture.sourceObjects("batch");

		CrashLog.assertResumedEachUpload(partsAtKill, resumed);
		assertThat(killed).contains("Mirror 'batch': copying 3 large objects at once, b/large-0.bin to b/large-2.bin");
		CrashLog.assertEachCopiedOnce(killed, resumed, source.size(), 1);
	}

	/**
	 * A batch whose first object (two parts) completes before the others (four parts),
	 * killed once it is logged as copied: on the rerun that object compares unchanged, is
	 * counted with the batch, and the two other uploads still continue from their next
	 * part rather than start over.
	 */
	@Test
	void aKilledBatchResumesTheCopiesLeftWhenOneCompletedFirst() {
		this.fixture.putSource("staggered", "b/large-0.bin", MirrorJobTest.random(2 * 5 * 1024 * 1024 - 10, 300));
		this.fixture.putSource("staggered", "b/large-1.bin", MirrorJobTest.random(4 * 5 * 1024 * 1024 - 20, 301));
		this.fixture.putSource("staggered", "b/large-2.bin", MirrorJobTest.random(4 * 5 * 1024 * 1024 - 30, 302));
		this.fixture.putSource("staggered", "c/small", MirrorJobTest.random(4000, 3));
		String[] run = { "run", "s3Mirror", "mirror=staggered", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		String bucket = this.fixture.pair("staggered").target();
		Killed kill = killWhen(ferry, run, bucket, doomed -> doomed.output().contains("/copy/b/large-0.bin`"));
		String killed = kill.output();
		Map<String, Integer> partsAtKill = kill.partsAtKill();
		assertThat(partsAtKill).as("uploads open at the kill")
			.containsOnlyKeys("copy/b/large-1.bin", "copy/b/large-2.bin");

		String resumed = rerunToTheSource(ferry, run, "staggered", bucket);
		Map<String, byte[]> source = this.fixture.sourceObjects("staggered");
		CrashLog.assertResumedEachUpload(partsAtKill, resumed);
		assertThat(resumed).contains("Mirror 'staggered': 3 new, 0 changed, 1 unchanged");
		CrashLog.assertEachCopiedOnce(killed, resumed, source.size(), 1);
	}

	/**
	 * A run that skips objects (the target refuses {@code x/...}: S3Proxy's file
	 * {@code copy/x} blocks the folder), killed after it committed some skips: the rerun
	 * goes on from the watermark, and every refused key is recorded exactly once, the
	 * skips of the chunk the kill cut off rolled back with it and recorded by the rerun.
	 */
	@Test
	void aKilledRunThatSkipsRecordsEverySkippedKeyOnce() {
		for (int i = 0; i < 10; i++) {
			this.fixture.putSource("skipkill", "a/%03d".formatted(i), MirrorJobTest.random(500 + i, i));
		}
		for (int i = 0; i < 6; i++) {
			this.fixture.putSource("skipkill", "x/%03d".formatted(i), MirrorJobTest.random(600 + i, 50 + i));
		}
		for (int i = 0; i < 10; i++) {
			this.fixture.putSource("skipkill", "z/%03d".formatted(i), MirrorJobTest.random(700 + i, 80 + i));
		}
		this.fixture.putTarget("skipkill", "x", MirrorJobTest.bytes("blocks the folder x/"));
		String[] run = { "run", "s3Mirror", "mirror=skipkill", "runDate=2026-12-01" };
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> skippedKeys().size() >= 2, TIMEOUT);
		}
		assertThat(skippedKeys()).as("skips committed before the kill").hasSizeBetween(2, 5);

		String resumed;
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}
		assertThat(skippedKeys()).containsExactly("src/x/000", "src/x/001", "src/x/002", "src/x/003", "src/x/004",
				"src/x/005");
		Map<String, byte[]> source = this.fixture.sourceObjects("skipkill");
		Map<String, byte[]> target = this.fixture.targetObjects("skipkill");
		source.keySet().removeIf(key -> key.startsWith("x/"));
		target.remove("x");
		assertThat(target.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));
		assertThat(resumed).contains(
				"Mirror 'skipkill': 20 new, 0 changed, 0 unchanged, 1 extra, 0 deleted, 0 vanished, 0 failed, 6 skipped");
		assertThat(this.fixture.repositoryJdbc.queryForList(
				"SELECT status || ' ' || exit_code FROM ferry_job_history ORDER BY execution_id", String.class))
			.containsExactly("FAILED FAILED", "COMPLETED COMPLETED_WITH_SKIPS");
	}

	/** The source keys of ferry_skipped_object, in order, repeats included. */
	/**
	 * Runs the killed run again: it must exit 0, leave the target byte for byte the
	 * source and no multipart upload open.
	 * @return the rerun's output
	 */
	/**
	 * Runs the mirror and kills it once a condition holds.
	 * @return its output and the parts of each upload open in the target bucket then
	 */
	private Killed killWhen(FerryProcess.Builder ferry, String[] run, String bucket,
			Predicate<FerryProcess> condition) {
		try (FerryProcess doomed = ferry.start(run)) {
			doomed.killWhen(() -> condition.test(doomed), TIMEOUT);
			return new Killed(doomed.output(), CrashLog.uploadedPartsByKey(this.fixture.target, bucket));
		}
	}

	/**
	 * What a killed run left.
	 *
	 * @param output its log
	 * @param partsAtKill the parts of each upload open at the kill, by key
	 */
	private record Killed(String output, Map<String, Integer> partsAtKill) {
	}

	private String rerunToTheSource(FerryProcess.Builder ferry, String[] run, String mirror, String bucket) {
		String resumed;
		try (FerryProcess again = ferry.start(run)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			resumed = again.output();
		}
		Map<String, byte[]> source = this.fixture.sourceObjects(mirror);
		Map<String, byte[]> target = this.fixture.targetObjects(mirror);
		assertThat(target.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));
		assertThat(CrashLog.uploadedParts(this.fixture.target, bucket)).as("parts of open uploads").isZero();
		return resumed;
	}

	private java.util.List<String> skippedKeys() {
		return this.fixture.repositoryJdbc
			.queryForList("SELECT source_key FROM ferry_skipped_object ORDER BY source_key", String.class);
	}

	private int uploadedParts() {
		return CrashLog.uploadedParts(this.fixture.target, this.fixture.pair("killed").target());
	}

}
