package dev.ferry.tabledump;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.ferry.common.transfer.PartBytes;

/**
 * One multipart part in the making: CSV bytes cut into blocks of {@value #BLOCK_SIZE}
 * bytes, each compressed into its own gzip member by the shared {@link GzipCompressor},
 * and the members gathered in block order in memory. Concatenated members are one valid
 * gzip file, so each part can be written, acknowledged and checkpointed on its own.
 * <p>
 * A part keeps one block per compressor thread, plus one, in flight (at most
 * {@value #MAX_IN_FLIGHT}), so that one table can keep every core busy while its memory
 * stays bounded: the finished members, and a few blocks. Buffers are reused from part to
 * part.
 * <p>
 * Not thread-safe: one per table being dumped.
 */
final class GzipPart extends OutputStream {

	static final int BLOCK_SIZE = 1024 * 1024;

	/**
	 * Blocks one part may have queued or in compression: enough for one table to use
	 * eight cores, and a bound on its memory (each block holds 1 MiB of CSV and up to as
	 * much of gzip) on machines with many more.
	 */
	static final int MAX_IN_FLIGHT = 8;

	private final GzipCompressor compressor;

	private final int maxInFlight;

	private final Buffer compressed;

	private final Deque<Future<GzipBlock>> inFlight = new ArrayDeque<>();

	private final Deque<GzipBlock> free = new ArrayDeque<>();

	private GzipBlock filling;

	private long csvBytes;

	GzipPart(GzipCompressor compressor, int expectedSize) {
		this.compressor = compressor;
		this.maxInFlight = Math.min(compressor.threads() + 1, MAX_IN_FLIGHT);
		this.compressed = new Buffer(expectedSize);
		this.filling = new GzipBlock(BLOCK_SIZE);
	}

	/** Starts a new part; the previous part's bytes are discarded. */
	void start() {
		// Blocks still in flight belong to a part whose step failed. They are dropped,
		// not
		// waited for, and never reused: a pool thread may still hold them.
		this.inFlight.clear();
		this.compressed.reset();
		this.filling.clear();
		this.csvBytes = 0;
	}

	@Override
	public void write(int b) {
		write(new byte[] { (byte) b }, 0, 1);
	}

	/** Takes CSV bytes; COPY hands over one row at a time. */
	@Override
	public void write(byte[] bytes, int offset, int length) {
		this.csvBytes += length;
		int from = offset;
		int remaining = length;
		while (remaining > 0) {
			int taken = this.filling.fill(bytes, from, remaining);
			from += taken;
			remaining -= taken;
			if (this.filling.isFull()) {
				submitFilling();
			}
		}
	}

	/** Ends the part: what {@link #size()} and {@link #content()} then describe. */
	void finish() {
		// an empty part is still one (empty) member: a zero-byte object is not gzip
		boolean nothingSubmitted = this.inFlight.isEmpty() && this.compressed.size() == 0;
		if (!this.filling.isEmpty() || nothingSubmitted) {
			submitFilling();
		}
		while (!this.inFlight.isEmpty()) {
			appendOldest();
		}
	}

	private void submitFilling() {
		while (this.inFlight.size() >= this.maxInFlight) {
			appendOldest();
		}
		this.inFlight.addLast(this.compressor.compress(this.filling));
		this.filling = this.free.isEmpty() ? new GzipBlock(BLOCK_SIZE) : this.free.removeFirst();
	}

	private void appendOldest() {
		GzipBlock block = await(this.inFlight.removeFirst());
		this.compressed.write(block.member, 0, block.memberLength);
		block.clear();
		this.free.addLast(block);
	}

	private static GzipBlock await(Future<GzipBlock> compression) {
		try {
			return compression.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for gzip compression", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("gzip compression failed: " + ex.getCause(), ex.getCause());
		}
		catch (CancellationException ex) {
			throw new IllegalStateException("gzip compression was cancelled: Ferry is shutting down", ex);
		}
	}

	/**
	 * Compressed bytes of the members finished so far; the blocks in flight add to it
	 * before {@link #finish()} returns.
	 */
	int size() {
		return this.compressed.size();
	}

	/** Uncompressed CSV bytes taken into this part. */
	long csvBytes() {
		return this.csvBytes;
	}

	/** The finished part, without copying it. */
	PartBytes bytes() {
		return new PartBytes(this.compressed.array(), 0, this.compressed.size());
	}

	/** A byte array output stream whose array can be read without a copy. */
	private static final class Buffer extends ByteArrayOutputStream {

		Buffer(int size) {
			super(size);
		}

		byte[] array() {
			return this.buf;
		}

	}

}
