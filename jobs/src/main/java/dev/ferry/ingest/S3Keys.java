package dev.ferry.ingest;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.ferry.common.s3.S3Location;

/**
 * The rules that relate the keys of an {@code s3} source, its quarantine bucket and its
 * {@code move:<prefix>}: where one prefix lies under another (objects written there would
 * be listed and taken again), and the path the ledger records for a key.
 */
final class S3Keys {

	private S3Keys() {
	}

	/**
	 * The ledger's directory of a listed prefix: {@code s3://bucket/prefix/}. Always ends
	 * in a slash, so that a path relative to it is the key relative to the prefix.
	 * @param bucket the bucket
	 * @param listedPrefix the prefix as listed: empty, or ending in {@code /}
	 */
	static String directory(String bucket, String listedPrefix) {
		return "s3://" + bucket + "/" + listedPrefix;
	}

	/**
	 * The key of a ledger path {@code s3://bucket/key} of a bucket.
	 * @throws IllegalArgumentException when the path is not one of that bucket
	 */
	static String key(String bucket, String path) {
		String base = "s3://" + bucket + "/";
		if (!path.startsWith(base)) {
			throw new IllegalArgumentException("'" + IngestLog.escape(path) + "' is not a key of bucket '" + bucket
					+ "'; was the source's s3.bucket changed while files were in the ledger?");
		}
		return path.substring(base.length());
	}

	/** A configured prefix as listed: empty, or ending in {@code /} (as S3Location's). */
	static String prefix(String configured) {
		return (configured.isEmpty() || configured.endsWith("/")) ? configured : configured + "/";
	}

	/**
	 * Whether a key prefix lies under another (or is it): {@code ""} holds everything.
	 */
	static boolean under(String prefix, String parent) {
		return prefix.startsWith(parent);
	}

	/**
	 * Whether two locations on one endpoint and bucket have a prefix under the other's:
	 * what one writes, the other lists.
	 */
	static boolean overlaps(S3Location a, S3Location b) {
		if (a.endpoint() == null || !a.endpoint().equals(b.endpoint()) || a.bucket() == null
				|| !a.bucket().equals(b.bucket())) {
			return false;
		}
		String first = a.key("");
		String second = b.key("");
		return under(first, second) || under(second, first);
	}

	static boolean validRegex(String regex) {
		try {
			Pattern.compile(regex);
			return true;
		}
		catch (PatternSyntaxException ex) {
			return false;
		}
	}

}
