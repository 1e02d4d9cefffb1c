package dev.ferry.mirror;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One object of a listing.
 *
 * @param key the key relative to the listed prefix: the same for an object and its copy
 * @param size its size in bytes
 * @param eTag its ETag without the quotes: a plain MD5 in hex for a single PUT (when the
 * store does not encrypt with KMS), {@code <md5>-<parts>} for a multipart upload
 */
record ListedObject(String key, long size, String eTag) {

	/** Whether the ETag is that of a multipart upload. */
	boolean multipartETag() {
		return this.eTag.contains("-");
	}

	/**
	 * Compares keys as S3 orders them: by their UTF-8 bytes, unsigned. Java's
	 * {@code String.compareTo} orders UTF-16 units, which differs for characters beyond
	 * U+FFFF, and a merge-join of two listings in different orders pairs the wrong keys.
	 */
	static int compareKeys(String a, String b) {
		return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	/** Whether the store gave an ETag at all (see {@link #unquote}). */
	boolean hasETag() {
		return !this.eTag.isEmpty();
	}

	/**
	 * An ETag as listings and HEAD answers give it, without its quotes; empty when the
	 * store gave none. S3Proxy's filesystem store lists an object that another client is
	 * still writing without one; such an object never compares as unchanged.
	 */
	static String unquote(@Nullable String eTag) {
		if (eTag == null) {
			return "";
		}
		return (eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\""))
				? eTag.substring(1, eTag.length() - 1) : eTag;
	}

}
