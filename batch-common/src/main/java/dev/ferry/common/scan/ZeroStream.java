package dev.ferry.common.scan;

import java.io.InputStream;
import java.util.Arrays;

/**
 * Zero bytes of a given length, without holding them in memory: the probe past a
 * scanner's size limit (see {@link ScannerCheck}), and the same probe in the test kit's
 * own checks of clamd.
 * <p>
 * Not thread-safe: one reader.
 */
public final class ZeroStream extends InputStream {

	private long remaining;

	public ZeroStream(long length) {
		this.remaining = length;
	}

	@Override
	public int read() {
		if (this.remaining <= 0) {
			return -1;
		}
		this.remaining--;
		return 0;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) {
		if (this.remaining <= 0) {
			return -1;
		}
		int count = (int) Math.min(length, this.remaining);
		Arrays.fill(buffer, offset, offset + count, (byte) 0);
		this.remaining -= count;
		return count;
	}

}
