package dev.ferry.tabledump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libdeflate and zlib make gzip members that decode to the same CSV, at every level the
 * job offers, that {@code gzip -t} and {@code zcat} accept, and of about the same size.
 * libdeflate must be installed where this runs ({@code apt-get install libdeflate0}; CI
 * installs it): the test fails rather than skip without it, since the image relies on it.
 */
class MemberDeflaterTest {

	@Test
	void libdeflateIsLoadedAndChosenByDefault() {
		assertThat(LibdeflateMemberDeflater.available()).as(LibdeflateMemberDeflater.library()).isTrue();
		assertThat(DeflateEngine.AUTO.resolve()).isEqualTo(DeflateEngine.LIBDEFLATE);
		assertThat(DeflateEngine.AUTO.describe()).startsWith("libdeflate (libdeflate.so");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8, 9 })
	void bothEnginesDecodeToTheSameBytesAtEveryLevel(int level) throws IOException {
		byte[] csv = csvRows(GzipPart.BLOCK_SIZE, level);
		byte[] random = new byte[GzipPart.BLOCK_SIZE];
		new Random(level).nextBytes(random);
		for (byte[] input : new byte[][] { csv, random, new byte[0], Arrays.copyOf(csv, 1) }) {
			byte[] libdeflate = member(DeflateEngine.LIBDEFLATE, level, input);
			byte[] zlib = member(DeflateEngine.ZLIB, level, input);
			assertThat(gunzip(libdeflate)).as("libdeflate, level %d, %d bytes", level, input.length).isEqualTo(input);
			assertThat(gunzip(zlib)).as("zlib, level %d, %d bytes", level, input.length).isEqualTo(input);
		}
	}

	@Test
	void libdeflateAtLevelSixIsAboutAsSmallAsZlib() {
		byte[] csv = csvRows(GzipPart.BLOCK_SIZE, 6);
		int libdeflate = member(DeflateEngine.LIBDEFLATE, 6, csv).length;
		int zlib = member(DeflateEngine.ZLIB, 6, csv).length;
		// levels mean the same effort, not the same output: libdeflate's parsing tends
		// to be a few per cent smaller, and must never be much bigger
		assertThat(libdeflate).isLessThanOrEqualTo(zlib + zlib / 20);
		// and a lower level is faster, not smaller: the level reaches libdeflate
		assertThat(member(DeflateEngine.LIBDEFLATE, 1, csv).length).isGreaterThan(libdeflate);
	}

	@Test
	void gzipAndZcatAcceptConcatenatedMembersOfBothEngines(@TempDir Path dir) throws Exception {
		byte[] first = csvRows(GzipPart.BLOCK_SIZE, 1);
		byte[] second = csvRows(GzipPart.BLOCK_SIZE / 3, 2);
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		file.writeBytes(member(DeflateEngine.LIBDEFLATE, 6, first));
		file.writeBytes(member(DeflateEngine.ZLIB, 6, second));
		file.writeBytes(member(DeflateEngine.LIBDEFLATE, 6, new byte[0]));
		Path gz = Files.write(dir.resolve("both.csv.gz"), file.toByteArray());

		assertThat(run(dir, "gzip", "-t", gz.toString())).isEmpty();
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		expected.writeBytes(first);
		expected.writeBytes(second);
		assertThat(run(dir, "zcat", gz.toString())).isEqualTo(expected.toByteArray());
	}

	private static byte[] member(DeflateEngine engine, int level, byte[] input) {
		GzipBlock block = new GzipBlock(GzipPart.BLOCK_SIZE);
		block.fill(input, 0, input.length);
		try (MemberDeflater deflater = engine.deflaters().apply(level)) {
			deflater.compress(block);
		}
		return Arrays.copyOf(block.member, block.memberLength);
	}

	private static byte[] gunzip(byte[] gzip) throws IOException {
		try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
			return in.readAllBytes();
		}
	}

	/** Standard output of a command that must succeed. */
	private static byte[] run(Path dir, String... command) throws Exception {
		Path err = dir.resolve("stderr");
		Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
		byte[] out = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), Files.readString(err)).isZero();
		return out;
	}

	private static byte[] csvRows(int length, int seed) {
		Random random = new Random(seed);
		ByteArrayOutputStream out = new ByteArrayOutputStream(length + 100);
		for (int row = 0; out.size() < length; row++) {
			out.writeBytes((row + "," + random.nextInt(1000) + ",\"text, with \"\"quotes\"\"\"," + random.nextGaussian()
					+ "\n")
				.getBytes(StandardCharsets.UTF_8));
		}
		return Arrays.copyOf(out.toByteArray(), length);
	}

}
