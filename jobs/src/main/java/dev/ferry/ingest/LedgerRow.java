package dev.ferry.ingest;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One row of {@code ferry_ingest_file}: a version of a source file and how far it got.
 *
 * @param id the row's id
 * @param source the configured source
 * @param directory the configured directory it was listed under
 * @param path its full path as listed
 * @param size its size as listed
 * @param mtime its modification time as listed
 * @param sha256 of the bytes downloaded, once downloaded
 * @param state how far it got
 * @param verdict {@code clean}, {@code infected} or {@code unscannable}, once scanned
 * @param signature what clamd named, or why the file is unscannable
 * @param scannerVersion the clamd version that scanned it
 * @param destination where it went
 * @param notifiedAt when the webhook took the notification of its quarantine, or null
 */
record LedgerRow(long id, String source, String directory, String path, long size, Instant mtime,
		@Nullable String sha256, FileState state, @Nullable String verdict, @Nullable String signature,
		@Nullable String scannerVersion, @Nullable String destination, @Nullable Instant notifiedAt) {

	/** The path relative to its directory: what the key and the quarantine path keep. */
	String relative() {
		String prefix = this.directory.endsWith("/") ? this.directory : this.directory + "/";
		return this.path.substring(prefix.length());
	}

	/** {@code 'path' (ledger id N)}, for messages. */
	String describe() {
		return IngestLog.quoted(this.path) + " (ledger id " + this.id + ")";
	}

}
