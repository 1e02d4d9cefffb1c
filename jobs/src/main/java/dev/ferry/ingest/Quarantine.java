package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import dev.ferry.common.s3.ServerSideEncryption;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A source's quarantine: {@code <quarantine-dir>/<source>/<path relative to the source
 * directory>}, with {@code <name>.report.json} beside each file. Directories are created
 * with mode 0700 and files 0600, each written to a temporary name and renamed, so a crash
 * leaves no half-written file under a real name, and a rerun writes the same file again.
 * Nothing is written outside the quarantine directory: names are checked before
 * ({@link FileNames}), every directory under it is created here and must not be a link,
 * and the resolved path must stay under it. A different file already quarantined under
 * the same name (an older version) is kept, and the new one is named
 * {@code <name>~<ledger id>}.
 * <p>
 * With {@code quarantine-bucket} configured instead of {@code quarantine-dir}, the same
 * files and reports go to a bucket ({@link BucketQuarantine}); destinations are then
 * {@code s3://bucket/key}.
 * <p>
 * Thread-safe: stateless, and files are stored one at a time.
 */
final class Quarantine {

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	/** Larger than any report (names are at most 255 bytes, paths 4096). */
	static final int MAX_REPORT = 1024 * 1024;

	private final @Nullable Path root;

	/**
	 * Where files are written before they are renamed into place: beside the sources'
	 * directories (a source's name never starts with a dot), so that no temporary name
	 * can be a quarantined file's.
	 */
	private final @Nullable Path temporaries;

	private final @Nullable BucketQuarantine bucket;

	Quarantine(Path quarantineDir, String source) {
		this.root = quarantineDir.resolve(source);
		this.temporaries = quarantineDir.resolve(".ferry-tmp");
		this.bucket = null;
	}

	private Quarantine(BucketQuarantine bucket) {
		this.root = null;
		this.temporaries = null;
		this.bucket = bucket;
	}

	/**
	 * The quarantine a source's settings name: its directory, or its bucket (whose
	 * encryption is {@code quarantine-encryption}, else {@code encryption}).
	 */
	static Quarantine of(IngestProperties.Source settings, String source) {
		if (settings.quarantineBucket() != null) {
			ServerSideEncryption encryption = (settings.quarantineEncryption() != null)
					? settings.quarantineEncryption() : settings.encryption();
			return new Quarantine(BucketQuarantine.open(settings.quarantineBucket(), encryption, source,
					IngestProperties.property(source)));
		}
		return new Quarantine(Objects.requireNonNull(settings.quarantineDir()), source);
	}

	/** The quarantine bucket, or null when it is a directory. */
	@Nullable BucketQuarantine bucket() {
		return this.bucket;
	}

	/** Where files go: the directory, or {@code s3://bucket/prefix/<source>/}. */
	String root() {
		return (this.bucket != null) ? this.bucket.root() : String.valueOf(this.root);
	}

	/** The property to fix when {@link #prepare()} fails. */
	String property() {
		return (this.bucket != null) ? "quarantine-bucket" : "quarantine-dir";
	}

	/**
	 * Creates the source's quarantine directory (0700) and checks it is a directory; or
	 * checks that the quarantine bucket exists and takes the credentials.
	 */
	void prepare() throws IOException {
		if (this.bucket != null) {
			this.bucket.prepare();
			return;
		}
		ownerOnlyDirectories(directory());
		ownerOnlyDirectories(Objects.requireNonNull(this.temporaries));
	}

	private Path directory() {
		return Objects.requireNonNull(this.root);
	}

	/** Closes the quarantine bucket's client, if any. */
	void close() {
		if (this.bucket != null) {
			this.bucket.close();
		}
	}

	/**
	 * Quarantines a staged file and writes its report. One at a time: two files of one
	 * name in flight at once must not both find the name free.
	 * @return where the file is now: a path, or {@code s3://bucket/key}
	 */
	synchronized String store(LedgerRow row, StagedFile staged, Function<String, QuarantineReport> report)
			throws IOException {
		if (this.bucket != null) {
			return this.bucket.store(row, staged, quarantinedAs -> reportBytes(report.apply(quarantinedAs)));
		}
		String relative = row.relative();
		Path directory = directoryFor(FileNames.parent(relative));
		String name = FileNames.name(relative);
		Path target = directory.resolve(name);
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !sameFile(target, staged)) {
			name = FileNames.withSuffix(name, "~" + row.id());
			target = directory.resolve(name);
		}
		checkInside(target);
		try (InputStream in = Files.newInputStream(staged.path(), LinkOption.NOFOLLOW_LINKS)) {
			write(target, row.id(), out -> in.transferTo(out));
		}
		Path reportPath = directory.resolve(FileNames.withSuffix(name, FileNames.REPORT));
		checkInside(reportPath);
		byte[] content = reportBytes(report.apply(target.toString()));
		write(reportPath, row.id(), out -> out.write(content));
		return target.toString();
	}

	private static byte[] reportBytes(QuarantineReport report) {
		return json.writeValueAsString(report).concat("\n").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The report beside a quarantined file, as written: a regular file (not a link) under
	 * the quarantine directory.
	 * @param destination where the file is in quarantine (the ledger's destination)
	 */
	byte[] report(String destination) throws IOException {
		if (this.bucket != null) {
			return this.bucket.report(destination);
		}
		Path quarantined = Path.of(destination);
		Path report = quarantined
			.resolveSibling(FileNames.withSuffix(quarantined.getFileName().toString(), FileNames.REPORT));
		checkInside(report);
		if (!Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException("The report " + report + " of a quarantined file is gone or not a regular file");
		}
		if (Files.size(report) > MAX_REPORT) {
			throw new IOException("The report " + report + " is larger than any report Ferry writes");
		}
		try (InputStream in = Files.newInputStream(report, LinkOption.NOFOLLOW_LINKS)) {
			return in.readNBytes(MAX_REPORT);
		}
	}

	private boolean sameFile(Path existing, StagedFile staged) throws IOException {
		if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS) || Files.size(existing) != staged.size()) {
			return false;
		}
		return Files.mismatch(existing, staged.path()) == -1;
	}

	private Path directoryFor(String relativeParent) throws IOException {
		Path directory = directory();
		for (String segment : relativeParent.split("/")) {
			if (segment.isEmpty()) {
				continue;
			}
			directory = directory.resolve(segment);
			try {
				Files.createDirectory(directory, OWNER_ONLY_DIRECTORY);
			}
			catch (FileAlreadyExistsException ex) {
				if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
					throw new IOException("The quarantine path " + directory
							+ " exists and is not a directory (or is a link, which Ferry does not follow)", ex);
				}
			}
		}
		checkInside(directory);
		return directory;
	}

	private void checkInside(Path path) {
		if (!path.normalize().startsWith(directory().normalize())) {
			throw new IllegalStateException(path + " is outside the quarantine directory " + this.root);
		}
	}

	private void write(Path target, long ledgerId, Content content) throws IOException {
		Path temporary = Objects.requireNonNull(this.temporaries).resolve(ledgerId + ".tmp");
		Files.deleteIfExists(temporary);
		try (OutputStream out = ownerOnlyFile(temporary)) {
			content.writeTo(out);
		}
		Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * A new file of mode 0600 (from its creation on: never readable by others, whatever
	 * the umask), not through a link.
	 */
	static OutputStream ownerOnlyFile(Path path) throws IOException {
		return Channels.newOutputStream(
				Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
						StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE));
	}

	/**
	 * Creates a directory and its missing parents with mode 0700; it must not be a link.
	 */
	static void ownerOnlyDirectories(Path directory) throws IOException {
		Files.createDirectories(directory, OWNER_ONLY_DIRECTORY);
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException(directory + " is a link; Ferry writes only into a real directory");
		}
	}

	@FunctionalInterface
	private interface Content {

		void writeTo(OutputStream out) throws IOException;

	}

}
