package dev.ferry.tabledump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A part is gzip whatever the shape of the writes: members compressed on several threads
 * come out in the order of their blocks, and a part abandoned half-way leaves nothing in
 * the next one. {@link GzipPartTest} runs these cases with each {@link DeflateEngine}.
 */
abstract class GzipPartCases {

	private final DeflateEngine engine;

	private final GzipCompressor compressor;

	GzipPartCases(DeflateEngine engine) {
		this.engine = engine;
		this.compressor = new GzipCompressor(6, 3, engine);
	}

	@AfterEach
	void closeCompressor() {
		this.compressor.close();
	}

	@Test
	void partOfManyBlocksGunzipsToWhatWasWrittenInOrder() throws IOException {
		byte[] csv = csvRows(3 * GzipPart.BLOCK_SIZE + 12_345, 1);
		GzipPart part = new GzipPart(this.compressor, 1024);
		part.start();
		writeInOddPieces(part, csv);
		part.finish();

		assertThat(part.csvBytes()).isEqualTo(csv.length);
		assertThat(gunzip(part)).isEqualTo(csv);
		assertThat(memberCount(part)).isEqualTo(4);
		assertThat(part.size()).isLessThan(csv.length / 2);
	}

	@Test
	void eachPartIsOnlyItsOwnBytesWhenTheBuffersAreReused() throws IOException {
		GzipPart part = new GzipPart(this.compressor, 1024);
		for (int seed = 1; seed <= 3; seed++) {
			byte[] csv = csvRows(2 * GzipPart.BLOCK_SIZE + seed * 1000, seed);
			part.start();
			writeInOddPieces(part, csv);
			part.finish();
			assertThat(gunzip(part)).as("part %d", seed).isEqualTo(csv);
		}
	}

	@Test
	void partStartedWhileAnAbandonedOneIsStillCompressingHoldsOnlyTheNewBytes() throws IOException {
		GzipPart part = new GzipPart(this.compressor, 1024);
		part.start();
		writeInOddPieces(part, csvRows(5 * GzipPart.BLOCK_SIZE, 7));
		// no finish(): the step failed with blocks in flight
		byte[] csv = csvRows(GzipPart.BLOCK_SIZE + 10, 8);
		part.start();
		writeInOddPieces(part, csv);
		part.finish();

		assertThat(gunzip(part)).isEqualTo(csv);
	}

	@Test
	void emptyPartIsOneEmptyMember() throws IOException {
		GzipPart part = new GzipPart(this.compressor, 1024);
		part.start();
		part.finish();

		// header, an empty final block, CRC-32 and length: 20 bytes with zlib, 23 with
		// libdeflate
		assertThat(part.size()).isBetween(20, 23);
		assertThat(gunzip(part)).isEmpty();
	}

	@Test
	void incompressibleBlocksFitTheirMembers() throws IOException {
		byte[] random = new byte[2 * GzipPart.BLOCK_SIZE];
		new Random(42).nextBytes(random);
		GzipPart part = new GzipPart(this.compressor, 1024);
		part.start();
		part.write(random, 0, random.length);
		part.finish();

		assertThat(gunzip(part)).isEqualTo(random);
	}

	@Test
	void partWaitingForACompressorThatShutsDownFailsInsteadOfWaitingForever() throws InterruptedException {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		CountDownLatch release = new CountDownLatch(1);
		try {
			// the only pool thread is busy, so the part's block stays queued
			pool.submit(() -> {
				release.await();
				return null;
			});
			GzipCompressor closing = new GzipCompressor(6, 1, this.engine, pool);
			GzipPart part = new GzipPart(closing, 1024);
			part.start();
			part.write(csvRows(GzipPart.BLOCK_SIZE, 3), 0, GzipPart.BLOCK_SIZE);
			closing.close();

			assertThatIllegalStateException().isThrownBy(part::finish).withMessageContaining("cancelled");
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	private static byte[] csvRows(int length, int seed) {
		Random random = new Random(seed);
		ByteArrayOutputStream out = new ByteArrayOutputStream(length + 100);
		for (int row = 0; out.size() < length; row++) {
			out.writeBytes((row + "," + random.nextInt(1000) + ",\"text, with \"\"quotes\"\"\"\n")
				.getBytes(StandardCharsets.UTF_8));
		}
		byte[] bytes = out.toByteArray();
		return Arrays.copyOf(bytes, length);
	}

	/** Writes of 1 to 70,000 bytes, as COPY rows and batches come. */
	private static void writeInOddPieces(GzipPart part, byte[] csv) {
		Random random = new Random(csv.length);
		int offset = 0;
		while (offset < csv.length) {
			int length = Math.min(csv.length - offset, 1 + random.nextInt(70_000));
			part.write(csv, offset, length);
			offset += length;
		}
	}

	private static byte[] gunzip(GzipPart part) throws IOException {
		try (InputStream in = new GZIPInputStream(part.bytes().inputStream())) {
			return in.readAllBytes();
		}
	}

	/**
	 * Members start with the gzip magic at offsets the previous member's length gives.
	 */
	private static int memberCount(GzipPart part) throws IOException {
		byte[] bytes = part.bytes().inputStream().readAllBytes();
		int members = 0;
		for (int offset = 0; offset < bytes.length;) {
			assertThat(bytes[offset]).isEqualTo((byte) 0x1f);
			assertThat(bytes[offset + 1]).isEqualTo((byte) 0x8b);
			members++;
			offset = nextMember(bytes, offset);
		}
		return members;
	}

	private static int nextMember(byte[] bytes, int offset) throws IOException {
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(bytes, offset + 10, bytes.length - offset - 10);
			byte[] sink = new byte[64 * 1024];
			while (!inflater.finished()) {
				inflater.inflate(sink);
			}
			return bytes.length - inflater.getRemaining() + 8;
		}
		catch (DataFormatException ex) {
			throw new IOException(ex);
		}
		finally {
			inflater.end();
		}
	}

}
