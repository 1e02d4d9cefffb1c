package dev.ferry.tabledump;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses blocks of CSV into gzip members on a pool of platform threads, one per CPU,
 * shared by every table being dumped. Deflate is where a dump spends most of its CPU: on
 * its own thread one table is as slow as {@code gzip}, while blocks compressed side by
 * side use every core the pod has, whether one table is dumped or several.
 * <p>
 * Each block becomes a complete member (header, deflate stream, CRC-32 and length), so
 * members can be compressed in any order and concatenated in the order of their blocks:
 * concatenated members are one gzip file (RFC 1952), which {@code gzip -d}, Java's
 * {@code GZIPInputStream} and every common reader decode as the concatenation of the
 * blocks. Starting a new deflate stream every block costs little: deflate looks back only
 * 32 KiB.
 * <p>
 * Platform threads, not virtual ones: deflate runs in native code, which holds its
 * carrier thread anyway, and a fixed pool sized to the CPUs is what keeps compression
 * from crowding out the threads that read COPY and upload parts.
 * <p>
 * Thread-safe.
 */
final class GzipCompressor implements AutoCloseable {

	/**
	 * Header of every member: deflate, no name, no time stamp, operating system unknown.
	 */
	private static final byte[] HEADER = { 0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff };

	private static final int TRAILER_LENGTH = 8;

	private final int threads;

	private final ExecutorService pool;

	/**
	 * Deflaters keep about 256 KiB of native state: one per pool thread, reset per block.
	 */
	private final ThreadLocal<Deflater> deflaters;

	GzipCompressor(int level, int threads) {
		this(level, threads, Executors.newFixedThreadPool(threads,
				Thread.ofPlatform().name("ferry-gzip-", 1).daemon(true).factory()));
	}

	/**
	 * For tests: compresses on the given pool, which it shuts down on {@link #close()}.
	 */
	GzipCompressor(int level, int threads, ExecutorService pool) {
		this.threads = threads;
		this.deflaters = ThreadLocal.withInitial(() -> new Deflater(level, true));
		this.pool = pool;
	}

	/** One thread per CPU the JVM may use (in a container, what its CPU limit allows). */
	static GzipCompressor perCpu(int level) {
		return new GzipCompressor(level, Runtime.getRuntime().availableProcessors());
	}

	int threads() {
		return this.threads;
	}

	/**
	 * Compresses the block's CSV into its member buffer. The block must not be touched
	 * until the future is done.
	 */
	Future<GzipBlock> compress(GzipBlock block) {
		return this.pool.submit(() -> {
			compressInto(block, this.deflaters.get());
			return block;
		});
	}

	static void compressInto(GzipBlock block, Deflater deflater) {
		CRC32 crc = new CRC32();
		crc.update(block.csv, 0, block.csvLength);
		block.ensureMemberCapacity(HEADER.length + deflateBound(block.csvLength) + TRAILER_LENGTH);
		System.arraycopy(HEADER, 0, block.member, 0, HEADER.length);
		int length = HEADER.length;
		deflater.reset();
		deflater.setInput(block.csv, 0, block.csvLength);
		deflater.finish();
		while (!deflater.finished()) {
			if (length == block.member.length - TRAILER_LENGTH) {
				// cannot happen within deflateBound; a loud failure rather than an
				// endless loop
				throw new IllegalStateException("gzip member of " + block.csvLength + " bytes exceeds its bound");
			}
			length += deflater.deflate(block.member, length, block.member.length - TRAILER_LENGTH - length);
		}
		length = putIntLittleEndian(block.member, length, (int) crc.getValue());
		block.memberLength = putIntLittleEndian(block.member, length, block.csvLength);
	}

	/**
	 * Above zlib's {@code deflateBound} for raw deflate at any level (incompressible
	 * input grows by a few bytes per stored block), with room to spare.
	 */
	private static int deflateBound(int length) {
		return length + (length >> 12) + (length >> 14) + 64;
	}

	private static int putIntLittleEndian(byte[] bytes, int offset, int value) {
		bytes[offset] = (byte) value;
		bytes[offset + 1] = (byte) (value >>> 8);
		bytes[offset + 2] = (byte) (value >>> 16);
		bytes[offset + 3] = (byte) (value >>> 24);
		return offset + 4;
	}

	/**
	 * Stops the pool. Blocks that never started are cancelled, so that a table waiting
	 * for one fails instead of waiting forever.
	 */
	@Override
	public void close() {
		for (Runnable neverStarted : this.pool.shutdownNow()) {
			if (neverStarted instanceof Future<?> compression) {
				compression.cancel(false);
			}
		}
	}

}
