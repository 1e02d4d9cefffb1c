package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import dev.ferry.common.scan.ClamdClient;
import dev.ferry.common.scan.ScanResult;
import org.jspecify.annotations.Nullable;

/**
 * Scans a zip file entry by entry, then whole. Each entry is unpacked into staging
 * (counted against {@link UnpackBudget}: never the sizes its headers declare) and sent to
 * clamd on its own, so that clamd's own archive limits never decide, and a finding names
 * its entry ({@code inner.zip!/sub/virus.com}). An entry that is itself a zip (by its
 * first bytes, whatever its name) is walked the same way, down to {@code max-depth}. Once
 * every entry is clean, the whole file goes to clamd too: it reads the archive its own
 * way (local headers as well as the central directory), which catches content the central
 * directory does not list.
 * <p>
 * Refused, as unscannable with the reason ({@link ArchiveTrap}): entry names that are
 * absolute or climb out ({@code ../x}, {@code /etc/x}, {@code C:\x}), hold control
 * characters or are repeated; more entries, bytes or bytes per byte than the limits;
 * nesting past {@code max-depth}; encrypted entries; anything {@link ZipFile} cannot
 * read. Entry names never become paths: staging files are named after the ledger row and
 * the depth, so nothing is written outside staging; they are removed before this returns.
 * <p>
 * Not thread-safe: one per file.
 */
final class ZipScan {

	private final ClamdClient clamd;

	private final ArchiveLimits limits;

	private final UnpackBudget budget;

	private final LongFunction<Path> staging;

	/**
	 * @param clamd the scanner
	 * @param limits the source's limits
	 * @param budget what unpacking this file may take
	 * @param staging the staging path of a derived file, by a number unique per level
	 */
	ZipScan(ClamdClient clamd, ArchiveLimits limits, UnpackBudget budget, LongFunction<Path> staging) {
		this.clamd = clamd;
		this.limits = limits;
		this.budget = budget;
		this.staging = staging;
	}

	/**
	 * @param zip the staged file
	 * @return clean only when every entry and the whole file are; otherwise the first
	 * finding, naming its entry
	 * @throws ArchiveTrap when the archive is not to be trusted
	 * @throws IOException when staging cannot be written or read
	 */
	ScanResult scan(Path zip) throws ArchiveTrap, IOException {
		try {
			ScanResult entries = walk(zip, 1, "");
			if (entries.verdict() != ScanResult.Verdict.CLEAN) {
				return entries;
			}
		}
		finally {
			for (int depth = 1; depth <= this.limits.maxDepth() + 1; depth++) {
				Files.deleteIfExists(this.staging.apply(2L * depth));
				Files.deleteIfExists(this.staging.apply(2L * depth + 1));
			}
		}
		try (InputStream in = Files.newInputStream(zip, LinkOption.NOFOLLOW_LINKS)) {
			ScanResult whole = this.clamd.scan(in);
			return (whole.verdict() == ScanResult.Verdict.CLEAN) ? whole : named(whole, "the whole archive");
		}
	}

	private ScanResult walk(Path archive, int depth, String prefix) throws ArchiveTrap, IOException {
		if (depth > this.limits.maxDepth()) {
			throw new ArchiveTrap(ArchiveTrap.Kind.TOO_DEEP, "'" + IngestLog.escape(prefix)
					+ "' nests archives deeper than max-depth " + this.limits.maxDepth());
		}
		String where = prefix.isEmpty() ? "the archive" : "'" + IngestLog.escape(prefix) + "'";
		try (ZipFile zip = open(archive, where)) {
			this.budget.entries(zip.size(), where);
			Set<String> names = new HashSet<>();
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = prefix + entry.getName();
				String problem = nameProblem(entry.getName());
				if (problem != null) {
					throw new ArchiveTrap(ArchiveTrap.Kind.UNSAFE_NAME,
							"entry '" + IngestLog.escape(name) + "': " + problem);
				}
				if (!names.add(entry.getName())) {
					throw new ArchiveTrap(ArchiveTrap.Kind.DUPLICATE_NAME, "entry '" + IngestLog.escape(name)
							+ "' is in the archive more than once (only one would be scanned)");
				}
				if (entry.isDirectory()) {
					continue;
				}
				ScanResult result = entry(zip, entry, depth, name);
				if (result.verdict() != ScanResult.Verdict.CLEAN) {
					return result;
				}
			}
		}
		return new ScanResult(ScanResult.Verdict.CLEAN, null, "every entry OK");
	}

	private ScanResult entry(ZipFile zip, ZipEntry entry, int depth, String name) throws ArchiveTrap, IOException {
		Path unpacked = this.staging.apply(2L * depth);
		InputStream in;
		try {
			in = zip.getInputStream(entry);
		}
		catch (ZipException ex) {
			throw trap(ex, "entry '" + IngestLog.escape(name) + "'");
		}
		StagedFile file = this.budget.unpack(in, unpacked, "entry '" + IngestLog.escape(name) + "'");
		if (isZip(file.path())) {
			// the next level's archive, so that its own entries can reuse this level's
			// file
			Path nested = Files.move(unpacked, this.staging.apply(2L * depth + 3), StandardCopyOption.REPLACE_EXISTING);
			ScanResult inner = walk(nested, depth + 1, name + "!/");
			if (inner.verdict() != ScanResult.Verdict.CLEAN) {
				return inner;
			}
			unpacked = nested;
		}
		ScanResult result;
		try (InputStream content = Files.newInputStream(unpacked, LinkOption.NOFOLLOW_LINKS)) {
			result = this.clamd.scan(content);
		}
		Files.delete(unpacked);
		return (result.verdict() == ScanResult.Verdict.CLEAN) ? result : named(result, "entry '" + name + "'");
	}

	private static ZipFile open(Path archive, String where) throws ArchiveTrap, IOException {
		try {
			return new ZipFile(archive.toFile());
		}
		catch (ZipException ex) {
			throw trap(ex, where);
		}
	}

	private static ArchiveTrap trap(ZipException ex, String where) {
		String message = String.valueOf(ex.getMessage());
		// java.util.zip refuses encrypted entries as it opens the archive; it has no
		// other
		// way to tell
		if (message.toLowerCase(Locale.ROOT).contains("encrypted")) {
			return new ArchiveTrap(ArchiveTrap.Kind.ENCRYPTED,
					where + " holds an encrypted entry, which cannot be scanned (" + message + ")", ex);
		}
		return new ArchiveTrap(ArchiveTrap.Kind.CORRUPT, where + " is not a readable zip: " + message, ex);
	}

	/**
	 * A zip by its first bytes: a local file header, or the end record of an empty one.
	 */
	private static boolean isZip(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			byte[] magic = in.readNBytes(4);
			return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K'
					&& ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
		}
	}

	/**
	 * Why an entry name could escape the directory it is extracted to, or mislead: empty,
	 * absolute (also as a Windows drive or UNC path), a {@code ..} segment (with either
	 * separator), a NUL or other control character, invalid UTF-8.
	 */
	static @Nullable String nameProblem(String name) {
		if (name.isEmpty()) {
			return "the name is empty";
		}
		if (name.startsWith("/") || name.startsWith("\\") || name.matches("(?s)[A-Za-z]:.*")) {
			return "the name is absolute";
		}
		for (String segment : name.split("[/\\\\]", -1)) {
			if (segment.equals("..")) {
				return "the name climbs out of its directory ('..')";
			}
		}
		if (name.codePoints().anyMatch(Character::isISOControl)) {
			return "the name holds a control character";
		}
		if (name.indexOf('\uFFFD') >= 0
				|| name.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
			return "the name is not valid UTF-8";
		}
		return null;
	}

	private static ScanResult named(ScanResult result, String what) {
		String finding = (result.signature() != null) ? result.signature() : result.answer();
		return new ScanResult(result.verdict(), finding + " in " + IngestLog.escape(what), result.answer());
	}

}
