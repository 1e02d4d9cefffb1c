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
 * byte the source; no object is copied twice.
 */
@ExtendWith(S3ProxyExtension.class)
class MirrorCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int PARTS = 12;

	final MirrorFixture fixture = new MirrorFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.mirror("killed", "chunk-keys=10", "concurrency=2");

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

	private int uploadedParts() {
		return CrashLog.uploadedParts(this.fixture.target, this.fixture.pair("killed").target());
	}

}
