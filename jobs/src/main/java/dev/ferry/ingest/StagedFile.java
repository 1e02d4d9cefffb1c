package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A file downloaded into the staging directory.
 *
 * @param path where it is
 * @param size the bytes received
 * @param sha256 their SHA-256, in hex
 */
record StagedFile(Path path, long size, String sha256) {

	/** The file's bytes for a PUT: a new stream for each attempt of the request. */
	ContentStreamProvider content() {
		return () -> {
			try {
				return Files.newInputStream(this.path, LinkOption.NOFOLLOW_LINKS);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the staged file " + this.path, ex);
			}
		};
	}

}
