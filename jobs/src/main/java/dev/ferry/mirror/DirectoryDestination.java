package dev.ferry.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import dev.ferry.routes.Route;

/**
 * A DIRECTORY route's destination (seed 001's SFT: a volume that the SFT sidecar drains):
 * a directory under {@code ferry.s3-egress.directory-root}. A key relative to the route's
 * source prefix becomes the relative path of a file, its {@code /} separating
 * directories; a key that could leave the directory or name no file ({@code ..},
 * {@code .}, empty segments such as {@code a//b}, NUL) is refused, naming the key.
 * <p>
 * A file appears whole or not at all: it is written to {@code .<name>.ferry-part} in its
 * own directory, forced to disk, and renamed over the final name (an atomic rename in one
 * directory), and the directory is forced too, so the sidecar never picks up half a file
 * and a crash never leaves a short one under the final name. A killed write leaves its
 * part file, which the resumed run writes again from the start and renames (the sidecar
 * must skip dot files). Folder markers ({@code k/}) become directories.
 * <p>
 * Thread-safe: writes of different keys run at once; each works on its own files.
 */
final class DirectoryDestination {

	static final String PART_SUFFIX = ".ferry-part";

	private final Path directory;

	private final Route route;

	private DirectoryDestination(Path directory, Route route) {
		this.directory = directory;
		this.route = route;
	}

	/**
	 * @throws IllegalStateException when the route's directory is absolute or leaves the
	 * root
	 */
	static DirectoryDestination of(Path root, String relative, Route route) {
		Path base = root.toAbsolutePath().normalize();
		Path directory = base.resolve(relative).normalize();
		boolean parent = false;
		for (Path name : Path.of(relative)) {
			parent |= name.toString().equals("..");
		}
		if (Path.of(relative).isAbsolute() || parent || !directory.startsWith(base)) {
			throw new IllegalStateException(route.describe() + ": its directory '" + relative
					+ "' must be a relative path under " + S3EgressProperties.PREFIX + ".directory-root (" + base
					+ "), without '..'; fix the route");
		}
		return new DirectoryDestination(directory, route);
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Creates the directory if needed and checks that files can be written in it, with a
	 * probe file that is deleted again.
	 * @throws IllegalStateException naming the directory and the route
	 */
	void check() {
		try {
			Files.createDirectories(this.directory);
			Path probe = Files.createTempFile(this.directory, ".ferry-probe-", PART_SUFFIX);
			Files.delete(probe);
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new IllegalStateException("The directory " + this.directory + " of " + this.route.describe()
					+ " is not writable (" + ex + "); check the volume mounted at " + S3EgressProperties.PREFIX
					+ ".directory-root and its permissions", ex);
		}
	}

	/**
	 * The file of a key relative to the route's source prefix.
	 * @throws IllegalStateException when the key cannot be a path under the directory
	 */
	Path fileOf(String relativeKey) {
		String path = relativeKey.endsWith("/") ? relativeKey.substring(0, relativeKey.length() - 1) : relativeKey;
		for (String segment : path.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
				throw new IllegalStateException("The key '" + MirrorLog.escape(relativeKey) + "' of "
						+ this.route.describe() + " cannot be a file under " + this.directory
						+ " (an empty, '.' or '..' path segment, or NUL); rename it in the source, or send this"
						+ " prefix with an S3 route");
			}
		}
		Path file = this.directory.resolve(path).normalize();
		if (!file.startsWith(this.directory) || file.equals(this.directory)) {
			throw new IllegalStateException("The key '" + MirrorLog.escape(relativeKey) + "' of "
					+ this.route.describe() + " would leave " + this.directory);
		}
		return file;
	}

	/**
	 * Writes a file from a stream: a part file, forced, renamed, the directory forced.
	 * @param relativeKey the key relative to the route's source prefix
	 * @param content the object's bytes
	 * @param length the length the source announced: a stream that gives another is
	 * refused before the file takes the final name
	 * @return the bytes written
	 */
	long write(String relativeKey, InputStream content, long length) {
		Path file = fileOf(relativeKey);
		try {
			if (relativeKey.endsWith("/")) {
				Files.createDirectories(file);
				return 0;
			}
			Path parent = file.getParent();
			Files.createDirectories(parent);
			Path part = parent.resolve("." + file.getFileName() + PART_SUFFIX);
			long bytes;
			try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				OutputStream out = Channels.newOutputStream(channel);
				bytes = content.transferTo(out);
				channel.force(true);
			}
			if (bytes != length) {
				throw new IOException("the source gave " + bytes + " bytes, not the " + length + " it announced");
			}
			move(part, file);
			forceDirectory(parent);
			return bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file + " for " + this.route.describe() + ": " + ex, ex);
		}
	}

	private static void move(Path part, Path file) throws IOException {
		try {
			Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new IOException("the filesystem cannot rename " + part + " atomically over " + file
					+ "; a DIRECTORY route needs a POSIX filesystem", ex);
		}
	}

	/** Makes the rename durable: a directory's entries are on disk once it is forced. */
	private static void forceDirectory(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
