package dev.ferry.tabledump;

/**
 * Compresses one block of CSV into one complete gzip member (RFC 1952: header, deflate
 * stream, CRC-32 and length), the unit {@link GzipCompressor} concatenates.
 * <p>
 * Not thread-safe: each compressor thread has its own, which keeps the native state of
 * its deflate implementation from one block to the next.
 */
interface MemberDeflater extends AutoCloseable {

	/** Compresses {@code block.csv[0, csvLength)} into {@code block.member}. */
	void compress(GzipBlock block);

	/** Releases native memory; the deflater is not used afterwards. */
	@Override
	void close();

}
