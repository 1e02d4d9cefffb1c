package dev.ferry.mirror;

import java.time.Duration;
import java.util.Map;

import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Ferry process killed with SIGKILL while it copies the parts of a large object, after
 * many small ones: the next run with the same parameters resumes after the last committed
 * key, continues the large object's upload from its next part, and the target is byte for
 * byte the source; no object is copied twice. A run that skips objects within its skip
 * limit, killed, records every skipped key exactly once.
 */
@ExtendWith(S3ProxyExtension.class)
class MirrorCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int PARTS = 12;

	final MirrorFixture fixture = new MirrorFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.mirror("killed", "chunk-keys=10", "concurrency=2")
		.mirror("skipkill", "chunk-keys=2", "concurrency=2", "skip-limit=100");

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
	private java.util.List<String> skippedKeys() {
		return this.fixture.repositoryJdbc
			.queryForList("SELECT source_key FROM ferry_skipped_object ORDER BY source_key", String.class);
	}

	private int uploadedParts() {
		return CrashLog.uploadedParts(this.fixture.target, this.fixture.pair("killed").target());
	}

}
