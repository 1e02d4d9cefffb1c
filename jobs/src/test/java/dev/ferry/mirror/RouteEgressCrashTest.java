package dev.ferry.mirror;

import java.time.Duration;
import java.util.Map;

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
 * twice.
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

	private int uploadedParts(String bucket) {
		return CrashLog.uploadedParts(this.fixture.target, bucket);
	}

}
