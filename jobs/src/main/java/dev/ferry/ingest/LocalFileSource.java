package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories of this machine (seed 003: Ferry on the SFTP server's own disk). Attributes
 * are read with {@code NOFOLLOW_LINKS} and files opened with it ({@code O_NOFOLLOW}), so
 * a link swapped in after the listing is refused, not followed.
 * <p>
 * Thread-safe: stateless.
 */
final class LocalFileSource implements FileSource {

	private static final Logger logger = LoggerFactory.getLogger(LocalFileSource.class);

	@Override
	public String describe() {
		return "local";
	}

	@Override
	public void check() {
		// the directories are checked by the listing, which names the missing one
	}

	@Override
	public List<ListedFile> list(String directory, boolean recursive) throws IOException {
		Path root = Path.of(directory);
		if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
			throw new NoSuchFileException(directory, null, "not a directory (or a link to one, which Ferry"
					+ " does not follow); create it or fix the source's directories");
		}
		List<ListedFile> files = new ArrayList<>();
		list(root, "", directory, recursive, files);
		return files;
	}

	/**
	 * Lists a directory. An entry removed between reading the directory and reading its
	 * attributes (another pod's post-action, the partner tidying up) is left out, as the
	 * SFTP source leaves it out: it is gone, and a later listing has nothing to take. A
	 * subdirectory removed before it is read is left out the same way; the source's own
	 * directory must exist.
	 */
	private void list(Path dir, String prefix, String directory, boolean recursive, List<ListedFile> files)
			throws IOException {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				String relative = prefix + entry.getFileName().toString();
				Optional<ListedFile> listed = listedIfPresent(entry, directory, relative);
				if (listed.isEmpty()) {
					logger.debug("{} was removed while the source was listed; left out", entry);
					continue;
				}
				ListedFile file = listed.get();
				if (file.kind() == ListedFile.Kind.DIRECTORY) {
					if (recursive) {
						list(entry, relative + "/", directory, true, files);
					}
				}
				else {
					files.add(file);
				}
			}
		}
		catch (NoSuchFileException ex) {
			if (prefix.isEmpty()) {
				throw ex;
			}
			logger.debug("Directory {} was removed while the source was listed; left out", ex.getFile());
		}
	}

	private static Optional<ListedFile> listedIfPresent(Path entry, String directory, String relative)
			throws IOException {
		try {
			return Optional.of(listed(entry, directory, relative));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	private static ListedFile listed(Path entry, String directory, String relative) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		ListedFile.Kind kind = attributes.isSymbolicLink() ? ListedFile.Kind.SYMLINK
				: attributes.isDirectory() ? ListedFile.Kind.DIRECTORY
						: attributes.isRegularFile() ? ListedFile.Kind.REGULAR : ListedFile.Kind.OTHER;
		return new ListedFile(directory, relative, attributes.size(),
				attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MICROS), kind);
	}

	@Override
	public Optional<ListedFile> stat(String directory, String relative) throws IOException {
		return listedIfPresent(Path.of(ListedFile.join(directory, relative)), directory, relative);
	}

	@Override
	public InputStream open(String path) throws IOException {
		return Files.newInputStream(Path.of(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
	}

	@Override
	public void delete(String path) throws IOException {
		Files.deleteIfExists(Path.of(path));
	}

	@Override
	public void move(String path, String targetDirectory, String relative) throws IOException {
		Path target = Path.of(ListedFile.join(targetDirectory, relative));
		Files.createDirectories(target.getParent());
		Files.move(Path.of(path), target, LinkOption.NOFOLLOW_LINKS);
	}

	@Override
	public void close() {
	}

}
