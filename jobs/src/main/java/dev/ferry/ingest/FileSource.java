package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where a source's files come from: list, read, and the post-actions. Never follows a
 * symbolic link: listings and checks look at the entry itself ({@code lstat}).
 * <p>
 * Thread-safe: several files are worked at once (a stream from {@link #open} is read by
 * one thread).
 */
interface FileSource extends AutoCloseable {

	/**
	 * The source, for messages: {@code sftp://user@host:port}, {@code local} or the S3
	 * endpoint.
	 */
	String describe();

	/**
	 * The directories to list: the configured ones, or where a source has none of its own
	 * (S3), the one it stands for.
	 */
	default List<String> directories(IngestProperties.Source settings) {
		return settings.directories();
	}

	/**
	 * Connects (where there is anything to connect to) and checks that every directory
	 * exists.
	 * @throws IllegalStateException naming the setting to fix
	 */
	void check();

	/**
	 * Lists a directory: its entries, and with {@code recursive} those of its
	 * subdirectories (never through a link).
	 */
	List<ListedFile> list(String directory, boolean recursive) throws IOException;

	/**
	 * The entry at a path as it is now, without following links; empty when it is gone.
	 */
	Optional<ListedFile> stat(String directory, String relative) throws IOException;

	/**
	 * Opens a regular file for reading. Where the source can refuse to follow a link
	 * while opening (local), it does.
	 */
	InputStream open(String path) throws IOException;

	void delete(String path) throws IOException;

	/**
	 * Moves a file to the same relative path under another directory, creating the
	 * directories it needs.
	 */
	void move(String path, String targetDirectory, String relative) throws IOException;

	/**
	 * Tags a file (post-action {@code tag}), keeping its other tags.
	 * @throws UnsupportedOperationException where the source has no tags (only S3 has)
	 */
	default void tag(String path, String key, String value) throws IOException {
		throw new UnsupportedOperationException("The source " + describe() + " cannot tag files");
	}

	/**
	 * The value of a file's tag, or null when it has none (or the source has no tags).
	 */
	default @Nullable String tagValue(String path, String key) throws IOException {
		return null;
	}

	@Override
	void close();

}
