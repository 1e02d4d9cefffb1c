package dev.ferry.tabledump;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip members made with the JDK's {@link Deflater} (zlib): the fallback when libdeflate
 * is not installed ({@link LibdeflateMemberDeflater}).
 * <p>
 * Not thread-safe: one per compressor thread; the {@link Deflater} (about 256 KiB of
 * native state) is reset per block.
 */
final class ZlibMemberDeflater implements MemberDeflater {

	/**
	 * Header of every member: deflate, no name, no time stamp, operating system unknown.
	 */
	private static final byte[] HEADER = { 0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff };

	private static final int TRAILER_LENGTH = 8;

	private final Deflater deflater;

	ZlibMemberDeflater(int level) {
		this.deflater = new Deflater(level, true);
	}

	@Override
	public void compress(GzipBlock block) {
		CRC32 crc = new CRC32();
		crc.update(block.csv, 0, block.csvLength);
		block.ensureMemberCapacity(HEADER.length + deflateBound(block.csvLength) + TRAILER_LENGTH);
		System.arraycopy(HEADER, 0, block.member, 0, HEADER.length);
		int length = HEADER.length;
		this.deflater.reset();
		this.deflater.setInput(block.csv, 0, block.csvLength);
		this.deflater.finish();
		while (!this.deflater.finished()) {
			if (length == block.member.length - TRAILER_LENGTH) {
				// cannot happen within deflateBound; a loud failure rather than an
				// endless loop
				throw new IllegalStateException("gzip member of " + block.csvLength + " bytes exceeds its bound");
			}
			length += this.deflater.deflate(block.member, length, block.member.length - TRAILER_LENGTH - length);
		}
		length = putIntLittleEndian(block.member, length, (int) crc.getValue());
		block.memberLength = putIntLittleEndian(block.member, length, block.csvLength);
	}

	@Override
	public void close() {
		this.deflater.end();
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

}
