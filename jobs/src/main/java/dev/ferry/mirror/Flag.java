package dev.ferry.mirror;

import java.time.Instant;

/**
 * A {@code pipeline_success.flag} object: the key with its ETag and LastModified, which
 * together say which writing of the flag it is. The same key written again later (by the
 * next run of the pipeline) is another flag, and another transfer.
 *
 * @param key the flag's key in the source bucket
 * @param eTag its ETag, without quotes
 * @param lastModified when it was written, as the store reports it
 */
record Flag(String key, String eTag, Instant lastModified) {

	/** The name that marks a prefix as complete (seed 001). */
	static final String NAME = "pipeline_success.flag";

	/** Whether a key is a flag: its last path segment is the flag's name. */
	static boolean isFlag(String key) {
		return key.equals(NAME) || key.endsWith("/" + NAME);
	}

	/**
	 * The prefix the flag completes: its key without the name, empty or ending in '/'.
	 */
	String folder() {
		return this.key.substring(0, this.key.length() - NAME.length());
	}

	/** {@code `bucket/key` (ETag x, 2026-12-01T06:00:00Z)}, for log lines. */
	String describe(String bucket) {
		return MirrorLog.object(bucket, this.key) + " (ETag " + this.eTag + ", " + this.lastModified + ")";
	}

}
