package dev.ferry.tabledump;

/**
 * A block of CSV and the gzip member it compresses to. Blocks are reused from one member
 * to the next, so that a dump allocates its buffers once rather than once per MiB.
 * <p>
 * Not thread-safe: filled by a table's thread, compressed by one pool thread, then read
 * by the table's thread again; the future between them orders the accesses.
 */
final class GzipBlock {

	final byte[] csv;

	int csvLength;

	byte[] member;

	int memberLength;

	GzipBlock(int size) {
		this.csv = new byte[size];
		this.member = new byte[0];
	}

	/** Appends as much as fits; returns how many bytes were taken. */
	int fill(byte[] bytes, int offset, int length) {
		int taken = Math.min(length, this.csv.length - this.csvLength);
		System.arraycopy(bytes, offset, this.csv, this.csvLength, taken);
		this.csvLength += taken;
		return taken;
	}

	boolean isFull() {
		return this.csvLength == this.csv.length;
	}

	boolean isEmpty() {
		return this.csvLength == 0;
	}

	void clear() {
		this.csvLength = 0;
		this.memberLength = 0;
	}

	void ensureMemberCapacity(int capacity) {
		if (this.member.length < capacity) {
			this.member = new byte[capacity];
		}
	}

}
