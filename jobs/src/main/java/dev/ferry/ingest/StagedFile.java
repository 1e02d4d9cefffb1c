package dev.ferry.ingest;

import java.nio.file.Path;

/**
 * A file downloaded into the staging directory.
 *
 * @param path where it is
 * @param size the bytes received
 * @param sha256 their SHA-256, in hex
 */
record StagedFile(Path path, long size, String sha256) {

}
