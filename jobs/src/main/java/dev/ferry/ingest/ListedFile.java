package dev.ferry.ingest;

import java.time.Instant;

/**
 * A directory entry as a source listed it, without following links.
 *
 * @param directory the configured directory it was found under
 * @param relative its path relative to that directory ({@code a.csv}, {@code sub/a.csv}),
 * as listed
 * @param size its size in bytes
 * @param mtime its modification time, to the microsecond (what the ledger keeps)
 * @param kind what the entry is
 */
record ListedFile(String directory, String relative, long size, Instant mtime, Kind kind) {

	/** The full path at the source. */
	String path() {
		return join(this.directory, this.relative);
	}

	static String join(String directory, String relative) {
		return directory.endsWith("/") ? directory + relative : directory + "/" + relative;
	}

	/** What a directory entry is, seen without following links. */
	enum Kind {

		REGULAR, DIRECTORY, SYMLINK, OTHER

	}

}
