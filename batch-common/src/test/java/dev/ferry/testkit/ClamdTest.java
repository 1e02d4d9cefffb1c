package dev.ferry.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.ferry.common.scan.ZeroStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-test of {@link Clamd} and {@link ClamdExtension}.
 */
@ExtendWith(ClamdExtension.class)
class ClamdTest {

	@Test
	void answersPing(Clamd clamd) {
		assertThat(clamd.ping()).isEqualTo("PONG");
		assertThat(clamd.host()).isEqualTo("127.0.0.1");
		assertThat(clamd.command("VERSION")).startsWith("ClamAV ");
		assertThat(ClamdExtension.clamd()).isSameAs(clamd);
	}

	@Test
	void eicarIsTheStandardTestFile() throws Exception {
		byte[] eicar = Clamd.eicar();
		assertThat(eicar).hasSize(68);
		assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(eicar)))
			.isEqualTo("44d88612fea8a8f36de82e1278abb02f");
	}

	@Test
	void findsEicar(Clamd clamd) {
		// ClamAV marks signatures from a self-made database ".UNOFFICIAL" (see
		// Clamd.EICAR_FOUND)
		assertThat(clamd.scan(Clamd.eicar())).isEqualTo("stream: Eicar-Test-Signature.UNOFFICIAL FOUND")
			.isEqualTo(Clamd.EICAR_FOUND);
	}

	@Test
	void passesCleanData(Clamd clamd) {
		assertThat(clamd.scan("just a harmless line\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("stream: OK");
		assertThat(clamd.scan(new byte[0])).isEqualTo(Clamd.OK);
		// the signature is an MD5 of the whole file: EICAR inside a bigger file is not it
		byte[] padded = new byte[1000];
		System.arraycopy(Clamd.eicar(), 0, padded, 100, 68);
		assertThat(clamd.scan(padded)).isEqualTo(Clamd.OK);
	}

	@Test
	void refusesStreamsOverStreamMaxLength(Clamd clamd) {
		assertThat(clamd.maxBytes()).isEqualTo(Clamd.DEFAULT_MAX_BYTES);
		assertThat(clamd.scan(zeros(clamd.maxBytes() + 1))).isEqualTo("INSTREAM size limit exceeded. ERROR");
		// the daemon is fine afterwards
		assertThat(clamd.ping()).isEqualTo("PONG");
	}

	@Test
	void scansConcurrently(Clamd clamd) {
		List<CompletableFuture<String>> scans = IntStream.range(0, 8)
			.mapToObj((i) -> CompletableFuture
				.supplyAsync(() -> clamd.scan((i % 2 == 0) ? Clamd.eicar() : new byte[] { (byte) i })))
			.toList();
		for (int i = 0; i < scans.size(); i++) {
			assertThat(scans.get(i).join()).isEqualTo((i % 2 == 0) ? Clamd.EICAR_FOUND : Clamd.OK);
		}
	}

	@Test
	void plainApiWithSmallLimits(@TempDir Path stateDir) {
		long limit = 1024 * 1024;
		try (Clamd small = Clamd.start(stateDir, limit)) {
			assertThat(small.port()).isNotEqualTo(ClamdExtension.clamd().port());
			assertThat(small.scan(zeros(limit))).isEqualTo(Clamd.OK);
			assertThat(small.scan(zeros(limit + 1))).isEqualTo(Clamd.SIZE_LIMIT_EXCEEDED);
			assertThat(small.scan(Clamd.eicar())).isEqualTo(Clamd.EICAR_FOUND);
			assertThat(stateDir.resolve("clamd.conf")).content()
				.contains("TCPAddr 127.0.0.1", "StreamMaxLength 1048576", "AlertExceedsMax yes")
				.doesNotContain("LocalSocket");
			assertThat(small.logFile()).content().contains("Loaded 1 signature");
		}
	}

	private static InputStream zeros(long length) {
		return new ZeroStream(length);
	}

}
