package dev.ferry.mirror;

import dev.ferry.common.s3.S3Target;

/**
 * Where a copy reads and writes: a source and a target location, each with the key prefix
 * that a relative key goes under. Only the prefix changes between a source key and its
 * copy's key, byte for byte. A mirror's ends are its two configured locations; a route's
 * are the route's source prefix and its destination ({@link ObjectCopy},
 * {@link LargeCopy} work on either).
 * <p>
 * Thread-safe: immutable over thread-safe clients.
 *
 * @param source where objects are read
 * @param sourcePrefix the source key prefix: empty or ending in {@code /}
 * @param target where copies are written, with the encryption they ask for
 * @param targetPrefix the target key prefix: empty or ending in {@code /}
 */
record CopyEnds(S3Target source, String sourcePrefix, S3Target target, String targetPrefix) {

	/** The ends of two locations, each with its own configured prefix. */
	static CopyEnds of(S3Target source, S3Target target) {
		return new CopyEnds(source, source.location().key(""), target, target.location().key(""));
	}

	String sourceKey(String relativeKey) {
		return this.sourcePrefix + relativeKey;
	}

	String targetKey(String relativeKey) {
		return this.targetPrefix + relativeKey;
	}

	/** The log line of a copy: {@code `source-bucket/key` -> `target-bucket/key`}. */
	String copyLine(String relativeKey) {
		return MirrorLog.object(this.source.bucket(), sourceKey(relativeKey)) + " -> "
				+ MirrorLog.object(this.target.bucket(), targetKey(relativeKey));
	}

}
