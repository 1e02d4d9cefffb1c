package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.transfer.Digests;

/**
 * The staging directory: a file is downloaded here before it is scanned, under a name
 * made of the source and its ledger id (nothing of the file's own name, so nothing lands
 * outside this directory), mode 0600 in a directory of mode 0700. One file at a time: the
 * step removes it once the file is stored, so the directory holds at most
 * {@code max-scan-size} bytes per source (larger files are never staged), plus what
 * unpacking the file writes beside it ({@link #derived}: at most the source's
 * {@code archive.max-size}), removed with it.
 * <p>
 * Not thread-safe: one per step.
 */
final class Staging {

	private final Path directory;

	private final String source;

	Staging(Path directory, String source) {
		this.directory = directory;
		this.source = source;
	}

	/** Creates the directory (mode 0700) and checks it is one, not a link. */
	void prepare() {
		try {
			Quarantine.ownerOnlyDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the staging directory " + this.directory
					+ " (ferry.ingest.staging-dir): " + ex.getMessage(), ex);
		}
	}

	Path pathOf(long ledgerId) {
		return this.directory.resolve(this.source + "-" + ledgerId);
	}

	/**
	 * A file derived from a row's staged file (what unpacking it writes):
	 * {@code <source>-<id>.<suffix>}, removed with it by {@link #remove}.
	 */
	Path derived(long ledgerId, String suffix) {
		return this.directory.resolve(this.source + "-" + ledgerId + "." + suffix);
	}

	/** The staged file of a row, if a download left it whole. */
	Optional<StagedFile> find(LedgerRow row) throws IOException {
		Path path = pathOf(row.id());
		if (row.sha256() == null || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
				|| Files.size(path) != row.size()) {
			return Optional.empty();
		}
		return Optional.of(new StagedFile(path, row.size(), row.sha256()));
	}

	/**
	 * Downloads a stream into the row's staging file, counting and hashing what arrives.
	 * Refuses more than a staging space check allows, before writing.
	 */
	StagedFile download(LedgerRow row, InputStream in, StepProgress progress) throws IOException {
		long usable = Files.getFileStore(this.directory).getUsableSpace();
		if (usable < row.size()) {
			throw new IOException("The staging directory " + this.directory + " has " + IngestLog.mib(usable)
					+ " free, too little for " + row.describe() + " (" + IngestLog.mib(row.size())
					+ "): give ferry.ingest.staging-dir more space");
		}
		Path path = pathOf(row.id());
		MessageDigest sha256 = Digests.sha256();
		long size = 0;
		try (in; OutputStream out = new DigestOutputStream(Quarantine.ownerOnlyFile(path), sha256)) {
			byte[] buffer = new byte[64 * 1024];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				out.write(buffer, 0, read);
				size += read;
				progress.addBytes(read);
				if (size > row.size()) {
					break;
				}
			}
		}
		return new StagedFile(path, size, HexFormat.of().formatHex(sha256.digest()));
	}

	/** Removes a row's staged file and every file derived from it. */
	void remove(long ledgerId) throws IOException {
		Files.deleteIfExists(pathOf(ledgerId));
		removeDerived(ledgerId);
	}

	/** Removes the files derived from a row's staged file, and keeps that one. */
	void removeDerived(long ledgerId) throws IOException {
		// source names are [a-z0-9-]: nothing in the pattern is a glob character
		try (DirectoryStream<Path> derived = Files.newDirectoryStream(this.directory,
				this.source + "-" + ledgerId + ".*")) {
			for (Path path : derived) {
				Files.deleteIfExists(path);
			}
		}
		catch (NoSuchFileException ex) {
			// no staging directory: nothing to remove
		}
	}

}
