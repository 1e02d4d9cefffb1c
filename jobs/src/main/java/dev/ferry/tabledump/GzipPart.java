package dev.ferry.tabledump;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;

/**
 * One multipart part in the making: CSV bytes compressed into one gzip member held in
 * memory. Concatenated members are one valid gzip file, so each part can be written,
 * acknowledged and checkpointed on its own. The buffer is reused from part to part.
 * <p>
 * Not thread-safe: one per table being dumped.
 */
final class GzipPart extends OutputStream {

	private static final int WRITE_BUFFER = 128 * 1024;

	private final int level;

	private final Buffer compressed;

	private final byte[] pending = new byte[WRITE_BUFFER];

	private int pendingLength;

	private GZIPOutputStream gzip;

	private long csvBytes;

	GzipPart(int level, int expectedSize) {
		this.level = level;
		this.compressed = new Buffer(expectedSize);
	}

	/** Starts a new member; the previous part's bytes are discarded. */
	void start() {
		this.compressed.reset();
		this.pendingLength = 0;
		this.csvBytes = 0;
		try {
			this.gzip = new LeveledGzip(this.compressed, this.level);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void write(int b) {
		write(new byte[] { (byte) b }, 0, 1);
	}

	/**
	 * Takes CSV bytes. COPY hands over one row at a time; rows are gathered here so that
	 * the deflater sees large blocks rather than one native call per row.
	 */
	@Override
	public void write(byte[] bytes, int offset, int length) {
		this.csvBytes += length;
		if (length >= this.pending.length) {
			flushPending();
			deflate(bytes, offset, length);
			return;
		}
		if (this.pendingLength + length > this.pending.length) {
			flushPending();
		}
		System.arraycopy(bytes, offset, this.pending, this.pendingLength, length);
		this.pendingLength += length;
	}

	/** Ends the member: what {@link #size()} and {@link #content()} then describe. */
	void finish() {
		flushPending();
		try {
			this.gzip.finish();
			this.gzip.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Compressed bytes so far; close to the final size while the member is open. */
	int size() {
		return this.compressed.size();
	}

	/** Uncompressed CSV bytes taken into this member. */
	long csvBytes() {
		return this.csvBytes;
	}

	/** The finished member, without copying it. */
	InputStream content() {
		return new ByteArrayInputStream(this.compressed.array(), 0, this.compressed.size());
	}

	void digest(MessageDigest digest) {
		digest.update(this.compressed.array(), 0, this.compressed.size());
	}

	private void flushPending() {
		if (this.pendingLength > 0) {
			deflate(this.pending, 0, this.pendingLength);
			this.pendingLength = 0;
		}
	}

	private void deflate(byte[] bytes, int offset, int length) {
		try {
			this.gzip.write(bytes, offset, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A byte array output stream whose array can be read without a copy. */
	private static final class Buffer extends ByteArrayOutputStream {

		Buffer(int size) {
			super(size);
		}

		byte[] array() {
			return this.buf;
		}

		@Override
		public void close() {
			// the member's end closes the gzip stream, never the reused buffer
		}

	}

	/** GZIPOutputStream with a chosen compression level. */
	private static final class LeveledGzip extends GZIPOutputStream {

		LeveledGzip(OutputStream out, int level) throws IOException {
			super(out, WRITE_BUFFER);
			this.def.setLevel(level);
		}

	}

}
