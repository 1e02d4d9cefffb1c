package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import dev.ferry.common.scan.ClamdClient;
import dev.ferry.common.scan.ScanResult;
import dev.ferry.common.transfer.Digests;
import org.jspecify.annotations.Nullable;

/**
 * A source's {@code decompress} option, for {@link FileWork}: how a staged file is
 * scanned, and what of it is uploaded when clean.
 * <ul>
 * <li>{@code gz}: {@code x.gz} is unpacked into staging ({@code <source>-<id>.unpacked},
 * counted against the limits as it streams), the unpacked bytes are scanned, and uploaded
 * as {@code x}; infected or unscannable, the {@code .gz} as downloaded is quarantined. A
 * run killed between the scan and the upload unpacks the staged file again: the same
 * bytes (the ledger holds the SHA-256 of the download), so the object's
 * {@code ferry-sha256} is the same and the upload is found, not repeated.</li>
 * <li>{@code zip}: {@code x.zip} is scanned by {@link ZipScan}, and when clean uploaded
 * unchanged: one object per ledger row, as for any file, rather than one per entry,
 * because an entry name would have to become a key (escaping, collisions, the 255-byte
 * limit, a {@code .done} per entry) and a receiver gets exactly what the sender
 * sent.</li>
 * </ul>
 * A trap ({@link ArchiveTrap}) makes the file unscannable, with the trap as its
 * signature; the source's {@code unscannable} policy then quarantines it or holds it.
 * Nothing goes into the ExecutionContext: the ledger row's state and the staged file say
 * everything, and every step of this is repeated from the staged file when a restart
 * needs it.
 * <p>
 * Thread-safe: it keeps nothing between calls (each file's budget and walk are its own,
 * its staging files named after its ledger row), so files may be unpacked concurrently.
 */
final class Unpacking {

	private static final String GZ = ".gz";

	private static final String ZIP = ".zip";

	private final Decompress mode;

	private final ArchiveLimits limits;

	private final long maxScanSize;

	private final Staging staging;

	private final ClamdClient clamd;

	Unpacking(Decompress mode, ArchiveLimits limits, long maxScanSize, Staging staging, ClamdClient clamd) {
		this.mode = mode;
		this.limits = limits;
		this.maxScanSize = maxScanSize;
		this.staging = staging;
		this.clamd = clamd;
	}

	/**
	 * Scans what the source unpacks of a staged file.
	 * @return the verdict, or null when this file is not one the source unpacks (scan it
	 * as it is)
	 */
	@Nullable ScanResult scan(LedgerRow row, StagedFile staged) throws IOException {
		try {
			if (this.mode == Decompress.GZ && unpacks(row, GZ)) {
				StagedFile unpacked = gunzip(row, staged);
				try (InputStream in = Files.newInputStream(unpacked.path(), LinkOption.NOFOLLOW_LINKS)) {
					return this.clamd.scan(in);
				}
			}
			if (this.mode == Decompress.ZIP && unpacks(row, ZIP)) {
				UnpackBudget budget = new UnpackBudget(this.limits, staged.size(), this.maxScanSize);
				return new ZipScan(this.clamd, this.limits, budget, n -> this.staging.derived(row.id(), "zip-" + n))
					.scan(staged.path());
			}
			return null;
		}
		catch (ArchiveTrap trap) {
			this.staging.removeDerived(row.id());
			return ScanResult.unscannable(trap.signature());
		}
	}

	/**
	 * What a clean file is uploaded as.
	 * @return the unpacked file under its unpacked name, or the staged file as it is
	 */
	Upload upload(LedgerRow row, StagedFile staged) throws IOException {
		if (this.mode != Decompress.GZ || !unpacks(row, GZ)) {
			return new Upload(row.relative(), staged);
		}
		Path unpacked = this.staging.derived(row.id(), "unpacked");
		StagedFile file;
		if (Files.isRegularFile(unpacked, LinkOption.NOFOLLOW_LINKS)) {
			file = hashed(unpacked);
		}
		else {
			try {
				file = gunzip(row, staged);
			}
			catch (ArchiveTrap trap) {
				throw new IOException(
						"The staged file of " + row.describe()
								+ " scanned clean once unpacked, but cannot be unpacked again: " + trap.signature(),
						trap);
			}
		}
		return new Upload(unpackedName(row.relative()), file);
	}

	/** Whether a file is one to unpack: its name ends in the suffix, after something. */
	private static boolean unpacks(LedgerRow row, String suffix) {
		String name = FileNames.name(row.relative());
		return name.length() > suffix.length() && name.toLowerCase(Locale.ROOT).endsWith(suffix);
	}

	static String unpackedName(String relative) {
		return relative.substring(0, relative.length() - GZ.length());
	}

	private StagedFile gunzip(LedgerRow row, StagedFile staged) throws ArchiveTrap, IOException {
		String name = unpackedName(row.relative());
		String problem = FileNames.problem(name);
		if (problem != null) {
			throw new ArchiveTrap(ArchiveTrap.Kind.UNSAFE_NAME,
					"the unpacked name '" + IngestLog.escape(name) + "' is refused: " + problem);
		}
		String what = "'" + IngestLog.escape(FileNames.name(row.relative())) + "'";
		UnpackBudget budget = new UnpackBudget(this.limits, staged.size(), this.maxScanSize);
		Path partial = this.staging.derived(row.id(), "unpacking");
		InputStream file = Files.newInputStream(staged.path(), LinkOption.NOFOLLOW_LINKS);
		GZIPInputStream in;
		try {
			in = new GZIPInputStream(file, 64 * 1024);
		}
		catch (IOException ex) {
			file.close();
			throw new ArchiveTrap(ArchiveTrap.Kind.CORRUPT, what + " is not gzip: " + ex.getMessage(), ex);
		}
		StagedFile unpacked = budget.unpack(in, partial, what);
		// whole or absent: the upload takes it as it is
		Path done = Files.move(partial, this.staging.derived(row.id(), "unpacked"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		return new StagedFile(done, unpacked.size(), unpacked.sha256());
	}

	private static StagedFile hashed(Path path) throws IOException {
		MessageDigest sha256 = Digests.sha256();
		long size;
		try (InputStream in = new DigestInputStream(Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS), sha256)) {
			size = in.transferTo(OutputStream.nullOutputStream());
		}
		return new StagedFile(path, size, HexFormat.of().formatHex(sha256.digest()));
	}

	/**
	 * What a clean file is uploaded as.
	 *
	 * @param relative its path relative to the source directory, which its key keeps
	 * @param file the bytes
	 */
	record Upload(String relative, StagedFile file) {

	}

}
