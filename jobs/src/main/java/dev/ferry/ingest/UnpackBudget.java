package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.ferry.common.transfer.Digests;

/**
 * What unpacking one file may still take: bytes, entries, and bytes per byte of the file
 * as downloaded ({@link ArchiveLimits}). Every byte is counted as it comes out of the
 * decompressor, so an archive whose headers understate its sizes is stopped at the limit,
 * never after: a buffer that passes a limit is not written, so at most {@code max-size}
 * bytes ever reach staging for one file.
 * <p>
 * Not thread-safe: one per file.
 */
final class UnpackBudget {

	/** Ratios are judged past this many unpacked bytes (small files compress well). */
	static final long RATIO_FLOOR = 1024 * 1024;

	private final ArchiveLimits limits;

	private final long fileSize;

	private final long maxScanSize;

	private long unpacked;

	private long entries;

	/**
	 * @param limits the source's limits
	 * @param fileSize the size of the file as downloaded, which ratios are taken against
	 * @param maxScanSize Ferry's scan-size limit: no single unpacked stream may exceed
	 * it, since clamd must see it whole
	 */
	UnpackBudget(ArchiveLimits limits, long fileSize, long maxScanSize) {
		this.limits = limits;
		this.fileSize = fileSize;
		this.maxScanSize = maxScanSize;
	}

	/** Counts entries of an archive (before any is read). */
	void entries(long count, String where) throws ArchiveTrap {
		this.entries += count;
		if (this.entries > this.limits.maxEntries()) {
			throw new ArchiveTrap(ArchiveTrap.Kind.TOO_MANY_ENTRIES,
					where + " makes " + this.entries + " entries, more than max-entries " + this.limits.maxEntries());
		}
	}

	/**
	 * Unpacks a stream into a new staging file (mode 0600), counting every byte against
	 * the limits. A read error of the stream is the archive's fault (corrupt); a write
	 * error is staging's, and is thrown as it is.
	 * @param in the decompressing stream (closed)
	 * @param target the staging file to write
	 * @param what the entry or file, for the reason of a trap
	 * @return the unpacked file, with its size and SHA-256
	 */
	StagedFile unpack(InputStream in, Path target, String what) throws ArchiveTrap, IOException {
		MessageDigest sha256 = Digests.sha256();
		long size = 0;
		try (in; OutputStream out = new DigestOutputStream(Quarantine.ownerOnlyFile(target), sha256)) {
			byte[] buffer = new byte[64 * 1024];
			for (int read = read(in, buffer, what); read >= 0; read = read(in, buffer, what)) {
				size += read;
				this.unpacked += read;
				check(size, what);
				out.write(buffer, 0, read);
			}
		}
		return new StagedFile(target, size, HexFormat.of().formatHex(sha256.digest()));
	}

	private void check(long size, String what) throws ArchiveTrap {
		if (size > this.maxScanSize) {
			throw new ArchiveTrap(ArchiveTrap.Kind.TOO_LARGE, what + " unpacks to more than Ferry's scan-size limit ("
					+ this.maxScanSize + " bytes, " + CheckIngestTasklet.MAX_SCAN_SIZE + ")");
		}
		if (this.unpacked > this.limits.maxSize().toBytes()) {
			throw new ArchiveTrap(ArchiveTrap.Kind.TOO_LARGE, "unpacking " + what + " passed max-size ("
					+ this.limits.maxSize().toBytes() + " bytes unpacked from the file)");
		}
		int ratio = this.limits.maxRatio();
		long allowed = (this.fileSize > Long.MAX_VALUE / ratio) ? Long.MAX_VALUE : this.fileSize * ratio;
		if (this.unpacked > RATIO_FLOOR && this.unpacked > allowed) {
			throw new ArchiveTrap(ArchiveTrap.Kind.RATIO,
					"unpacking " + what + " passed max-ratio " + ratio + " (" + this.unpacked
							+ " bytes unpacked from a file of " + this.fileSize + " bytes): a decompression bomb?");
		}
	}

	private static int read(InputStream in, byte[] buffer, String what) throws ArchiveTrap {
		try {
			return in.read(buffer);
		}
		catch (IOException ex) {
			throw new ArchiveTrap(ArchiveTrap.Kind.CORRUPT, what + " cannot be unpacked: " + ex.getMessage(), ex);
		}
	}

}
