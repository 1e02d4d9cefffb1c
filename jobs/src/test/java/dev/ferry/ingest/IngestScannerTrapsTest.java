package dev.ferry.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanners a run must not trust, each a real clamd in a Ferry child process: one
 * without signatures (it answers OK to EICAR) and one that answers OK to content past its
 * limits (no AlertExceedsMax, MaxFileSize below Ferry's limit) are refused before
 * anything moves; with AlertExceedsMax, content past clamd's limits or Ferry's is
 * unscannable, and is quarantined or left pending, never uploaded.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class })
class IngestScannerTrapsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(120);

	static final long MIB = 1024 * 1024;

	final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd()).local("traps")
		.local("unscan")
		.local("waiting", "unscannable=pending");

	@Test
	void aScannerWithoutSignaturesIsRefused(@TempDir Path dir) throws Exception {
		this.fixture.write("traps", "virus.com", Clamd.eicar());
		try (Clamd blind = Clamd.start(dir, Clamd.Options.defaults().withoutEicarSignature())) {
			this.fixture.scanner(blind);
			String output = runExpecting(1, "traps");
			assertThat(this.fixture.failure("source=traps")).contains("did not detect the EICAR test file")
				.contains("clamd at 127.0.0.1:" + blind.port())
				.contains("nothing was moved");
			assertThat(output).contains("did not detect the EICAR test file");
		}
		assertNothingMoved("traps", "virus.com");
	}

	@Test
	void aScannerThatSaysOkPastItsLimitsIsRefused(@TempDir Path dir) throws Exception {
		this.fixture.write("traps", "big.bin", new byte[(int) (3 * MIB / 2)]);
		try (Clamd silent = Clamd.start(dir,
				Clamd.Options.defaults().maxBytes(4 * MIB).maxFileSize(MIB).withoutAlertExceedsMax())) {
			this.fixture.scanner(silent).settings().set("ferry.ingest.scanner.max-scan-size", "2MB");
			runExpecting(1, "traps");
			assertThat(this.fixture.failure("source=traps"))
				.contains("answered OK to a probe of " + (2 * MIB + 1) + " bytes")
				.contains("'AlertExceedsMax yes'")
				.contains("StreamMaxLength, MaxFileSize and MaxScanSize")
				.contains("ferry.ingest.scanner.max-scan-size");
		}
		assertNothingMoved("traps", "big.bin");
	}

	@Test
	void contentPastTheLimitsIsUnscannableAndNeverUploaded(@TempDir Path dir) throws Exception {
		for (String source : new String[] { "unscan", "waiting" }) {
			this.fixture.write(source, "past-clamd.bin", new byte[(int) (3 * MIB / 2)]);
			this.fixture.write(source, "past-ferry.bin", new byte[(int) (3 * MIB)]);
			this.fixture.write(source, "small.bin", new byte[1000]);
		}
		try (Clamd alerting = Clamd.start(dir, Clamd.Options.defaults().maxBytes(4 * MIB).maxFileSize(MIB))) {
			this.fixture.scanner(alerting).settings().set("ferry.ingest.scanner.max-scan-size", "2MB");
			runExpecting(0, "unscan");
			String waiting = runExpecting(0, "waiting");
			assertThat(waiting).contains("UNSCANNABLE (stream: Heuristics.Limits.Exceeded")
				.contains("left pending at the source (ferry.ingest.sources.waiting.unscannable=pending)")
				.contains("2 unscannable file(s) wait at the source");
		}
		assertThat(this.fixture.objects("unscan")).containsOnlyKeys("small.bin", "small.bin.done");
		assertThat(this.fixture.objects("waiting")).containsOnlyKeys("small.bin", "small.bin.done");
		assertThat(this.fixture.quarantine.resolve("unscan/past-clamd.bin.report.json")).content()
			.contains("\"verdict\" : \"unscannable\"")
			.contains("Heuristics.Limits.Exceeded");
		assertThat(this.fixture.quarantine.resolve("unscan/past-ferry.bin.report.json")).content()
			.contains("larger than Ferry's scan-size limit");
		assertThat(this.fixture.states("unscan")).containsOnly(Map.entry("past-clamd.bin", "quarantined"),
				Map.entry("past-ferry.bin", "quarantined"), Map.entry("small.bin", "uploaded"));
		assertThat(this.fixture.states("waiting")).containsOnly(Map.entry("past-clamd.bin", "scanned"),
				Map.entry("past-ferry.bin", "scanned"), Map.entry("small.bin", "uploaded"));
		assertThat(this.fixture.ledger("waiting")).filteredOn(row -> "scanned".equals(row.get("state")))
			.allSatisfy(row -> assertThat(row).containsEntry("verdict", "unscannable"));
		assertThat(this.fixture.quarantine.resolve("waiting")).isEmptyDirectory();
	}

	private String runExpecting(int exitCode, String source) {
		try (FerryProcess ferry = FerryProcess.builder()
			.settings(this.fixture.settings())
			.start("run", "ingest", "source=" + source, "runDate=2026-12-01")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(exitCode);
			return ferry.output();
		}
	}

	private void assertNothingMoved(String source, String file) {
		assertThat(this.fixture.ledger(source)).isEmpty();
		assertThat(this.fixture.keys("in/" + source + "/")).isEmpty();
		assertThat(this.fixture.inbox(source).resolve(file)).exists();
		assertThat(Files.exists(this.fixture.quarantine.resolve(source))).isFalse();
	}

}
