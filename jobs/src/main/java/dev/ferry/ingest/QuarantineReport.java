package dev.ferry.ingest;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What {@code <name>.report.json} beside a quarantined file says.
 *
 * @param source the configured source
 * @param path the file's path at the source
 * @param size its size in bytes
 * @param sha256 its SHA-256
 * @param mtime its modification time at the source
 * @param verdict {@code infected} or {@code unscannable}
 * @param signature what clamd named, or why the file is unscannable
 * @param scanner the clamd version that scanned it
 * @param time when it was quarantined
 * @param quarantinedAs where the file is in quarantine
 * @param ledgerId its row in {@code ferry_ingest_file}
 * @param jobExecutionId the job execution that quarantined it
 */
record QuarantineReport(String source, String path, long size, String sha256, Instant mtime, String verdict,
		@Nullable String signature, @Nullable String scanner, Instant time, String quarantinedAs, long ledgerId,
		long jobExecutionId) {

}
