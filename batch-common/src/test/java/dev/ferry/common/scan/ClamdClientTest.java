package dev.ferry.common.scan;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ClamdClient} and {@link ScannerCheck} against Debian's clamd: verdicts, the size
 * limit, and the traps a fail-closed check must catch (no signatures; no AlertExceedsMax
 * with limits below Ferry's).
 */
@ExtendWith(ClamdExtension.class)
class ClamdClientTest {

	private static final long MIB = 1024 * 1024;

	static ClamdClient client(Clamd clamd) {
		return new ClamdClient(clamd.host(), clamd.port(), Duration.ofSeconds(2), Duration.ofSeconds(30));
	}

	@Test
	void answersPingVersionAndVerdicts(Clamd clamd) {
		ClamdClient client = client(clamd);
		assertThat(client.ping()).isEqualTo("PONG");
		assertThat(client.version()).startsWith("ClamAV ");
		assertThat(client.scan(new ByteArrayInputStream("plain text\n".getBytes(StandardCharsets.UTF_8))))
			.isEqualTo(new ScanResult(ScanResult.Verdict.CLEAN, null, "stream: OK"));
		ScanResult eicar = client.scan(new ByteArrayInputStream(Clamd.eicar()));
		assertThat(eicar.verdict()).isEqualTo(ScanResult.Verdict.INFECTED);
		assertThat(eicar.signature()).isEqualTo("Eicar-Test-Signature.UNOFFICIAL");
		assertThat(client.scan(new ByteArrayInputStream(new byte[0])).verdict()).isEqualTo(ScanResult.Verdict.CLEAN);
	}

	@Test
	void aStreamOverStreamMaxLengthIsUnscannable(Clamd clamd) {
		ScanResult result = client(clamd).scan(new ByteArrayInputStream(new byte[(int) clamd.maxBytes() + 1]));
		assertThat(result.verdict()).isEqualTo(ScanResult.Verdict.UNSCANNABLE);
		assertThat(result.answer()).isEqualTo(Clamd.SIZE_LIMIT_EXCEEDED);
	}

	@Test
	void answersAreParsedFailClosed() {
		assertThat(ScanResult.parse("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND").verdict())
			.isEqualTo(ScanResult.Verdict.UNSCANNABLE);
		assertThat(ScanResult.parse("stream: Win.Test.EICAR_HDB-1 FOUND").signature())
			.isEqualTo("Win.Test.EICAR_HDB-1");
		assertThat(ScanResult.parse("stream: OK FOUND").verdict()).isEqualTo(ScanResult.Verdict.INFECTED);
		assertThat(ScanResult.parse("stream: lstat() failed: No such file. ERROR").verdict())
			.isEqualTo(ScanResult.Verdict.UNSCANNABLE);
		assertThat(ScanResult.parse("OK").verdict()).isEqualTo(ScanResult.Verdict.UNSCANNABLE);
		assertThat(ScanResult.parse("").verdict()).isEqualTo(ScanResult.Verdict.UNSCANNABLE);
	}

	@Test
	void aScannerThatIsDownIsUnavailableNotAVerdict() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		ClamdClient client = new ClamdClient("127.0.0.1", port, Duration.ofSeconds(1), Duration.ofSeconds(1));
		assertThatExceptionOfType(ScannerUnavailableException.class).isThrownBy(client::ping)
			.withMessageContaining("clamd at 127.0.0.1:" + port)
			.withMessageContaining("is it running?");
		assertThatExceptionOfType(ScannerUnavailableException.class)
			.isThrownBy(() -> client.scan(new ByteArrayInputStream(new byte[10])));
	}

	@Test
	void theCheckPassesAClamdWhoseLimitIsFerrys(Clamd clamd) {
		assertThat(ScannerCheck.verify(client(clamd), clamd.maxBytes(), "limit")).startsWith("ClamAV ");
	}

	@Test
	void theCheckPassesAClamdThatAlertsPastMaxFileSize(@TempDir Path dir) {
		try (Clamd alerting = Clamd.start(dir, Clamd.Options.defaults().maxBytes(4 * MIB).maxFileSize(1 * MIB))) {
			ScanResult past = client(alerting).scan(new ByteArrayInputStream(new byte[(int) (2 * MIB)]));
			assertThat(past.verdict()).isEqualTo(ScanResult.Verdict.UNSCANNABLE);
			assertThat(past.signature()).startsWith("Heuristics.Limits.Exceeded");
			assertThat(ScannerCheck.verify(client(alerting), 1 * MIB, "limit")).startsWith("ClamAV ");
		}
	}

	@Test
	void theCheckRefusesAClamdWithoutSignatures(@TempDir Path dir) {
		try (Clamd blind = Clamd.start(dir, Clamd.Options.defaults().withoutEicarSignature())) {
			assertThat(blind.scan(Clamd.eicar())).isEqualTo(Clamd.OK);
			assertThatExceptionOfType(ScannerRefusedException.class)
				.isThrownBy(() -> ScannerCheck.verify(client(blind), blind.maxBytes(), "limit"))
				.withMessageContaining("did not detect the EICAR test file")
				.withMessageContaining("answered 'stream: OK'");
		}
	}

	@Test
	void theCheckRefusesAClamdThatSaysOkPastItsLimits(@TempDir Path dir) {
		try (Clamd silent = Clamd.start(dir,
				Clamd.Options.defaults().maxBytes(4 * MIB).maxFileSize(1 * MIB).withoutAlertExceedsMax())) {
			// the trap: 2 MiB that clamd never scanned whole, answered OK
			assertThat(silent.scan(new byte[(int) (2 * MIB)])).isEqualTo(Clamd.OK);
			assertThatExceptionOfType(ScannerRefusedException.class)
				.isThrownBy(() -> ScannerCheck.verify(client(silent), 2 * MIB, "ferry.ingest.scanner.max-scan-size"))
				.withMessageContaining("answered OK to a probe of " + (2 * MIB + 1) + " bytes")
				.withMessageContaining("'AlertExceedsMax yes'")
				.withMessageContaining("StreamMaxLength, MaxFileSize and MaxScanSize")
				.withMessageContaining("ferry.ingest.scanner.max-scan-size");
		}
	}

	@Test
	void theCheckRefusesAClamdWhoseLimitsAreAboveFerrysWithoutAlerts(Clamd clamd) {
		// a probe one byte over Ferry's limit is scanned and OK: the check cannot tell
		// that clamd would report content past its own limits, so it refuses
		assertThatExceptionOfType(ScannerRefusedException.class)
			.isThrownBy(() -> ScannerCheck.verify(client(clamd), 1 * MIB, "limit"));
	}

}
