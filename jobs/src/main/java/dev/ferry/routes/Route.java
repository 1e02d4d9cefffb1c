package dev.ferry.routes;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One row of {@code ferry_route}: seed 001's DynamoDB item. Built by {@link #of}, which
 * normalises the prefixes and refuses what the table's CHECK constraints would refuse,
 * with a message that says which field to fix.
 *
 * @param sourceBucket the bucket the flag and the objects are in
 * @param sourcePrefix a key prefix of that bucket, empty or ending in {@code /}
 * @param pipelineName the pipeline that sends the files (seed 001's sort key; a prefix
 * sent two ways has two, {@code name} and {@code name#sft})
 * @param transferType where the objects go
 * @param destinationEndpoint S3: a configured target endpoint
 * ({@code ferry.s3-egress.targets.<name>}), or null for the source's own endpoint
 * @param destinationBucket S3: the bucket written
 * @param destinationPrefix S3: the key prefix written, empty or ending in {@code /}
 * @param directory DIRECTORY: a directory relative to
 * {@code ferry.s3-egress.directory-root}
 * @param recipient the team that receives the files
 * @param decrypt seed 001's flag, kept and not acted on
 */
public record Route(String sourceBucket, String sourcePrefix, String pipelineName, TransferType transferType,
		@Nullable String destinationEndpoint, @Nullable String destinationBucket, String destinationPrefix,
		@Nullable String directory, @Nullable String recipient, boolean decrypt) {

	private static final Pattern PARENT_SEGMENT = Pattern.compile("(^|/)\\.\\.(/|$)");

	/** How a route sends its objects. */
	public enum TransferType {

		/** Into a bucket, on the source's endpoint or a configured target endpoint. */
		S3,

		/**
		 * Into a directory under {@code ferry.s3-egress.directory-root} (seed 001's SFT:
		 * a volume that the SFT sidecar drains).
		 */
		DIRECTORY;

		/** {@code S3}, {@code DIRECTORY}, or seed 001's {@code SFT} for a directory. */
		public static TransferType parse(String value) {
			String upper = value.trim().toUpperCase(Locale.ROOT);
			if (upper.equals("SFT")) {
				return DIRECTORY;
			}
			try {
				return valueOf(upper);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"transfer type '" + value + "' is neither S3 nor DIRECTORY (seed 001's SFT)", ex);
			}
		}

	}

	/**
	 * A route from its fields as a user gives them: prefixes get their trailing
	 * {@code /}, blanks become null.
	 * @throws IllegalArgumentException naming the field to fix
	 */
	public static Route of(String sourceBucket, @Nullable String sourcePrefix, String pipelineName,
			TransferType transferType, @Nullable String destinationEndpoint, @Nullable String destinationBucket,
			@Nullable String destinationPrefix, @Nullable String directory, @Nullable String recipient,
			boolean decrypt) {
		require(!isBlank(sourceBucket), "the source bucket must not be empty");
		require(!isBlank(pipelineName), "the pipeline name must not be empty");
		String source = prefix(sourcePrefix, "the source prefix");
		String destination = prefix(destinationPrefix, "the destination prefix");
		if (transferType == TransferType.S3) {
			require(!isBlank(destinationBucket), "an S3 route needs a destination bucket");
			require(isBlank(directory), "an S3 route has no directory");
		}
		else {
			require(!isBlank(directory),
					"a DIRECTORY route needs a directory (relative to" + " ferry.s3-egress.directory-root)");
			require(isBlank(destinationBucket) && isBlank(destinationEndpoint) && destination.isEmpty(),
					"a DIRECTORY route has no destination bucket, endpoint or prefix");
			require(!directory.startsWith("/") && !PARENT_SEGMENT.matcher(directory).find(), "the directory '"
					+ directory + "' must be relative to ferry.s3-egress.directory-root, without" + " '..'");
		}
		return new Route(sourceBucket.trim(), source, pipelineName.trim(), transferType,
				blankToNull(destinationEndpoint), blankToNull(destinationBucket), destination, blankToNull(directory),
				blankToNull(recipient), decrypt);
	}

	/** {@code route 'pipeline' (s3://bucket/prefix)}, for log lines and messages. */
	public String describe() {
		return "route '" + this.pipelineName + "' (s3://" + this.sourceBucket + "/" + this.sourcePrefix + ")";
	}

	/**
	 * Where the route sends its objects: {@code s3://bucket/prefix}, with
	 * {@code at target 'name'} for another endpoint, or {@code directory 'x'}.
	 */
	public String destination() {
		if (this.transferType == TransferType.DIRECTORY) {
			return "directory '" + this.directory + "'";
		}
		return "s3://" + this.destinationBucket + "/" + this.destinationPrefix
				+ ((this.destinationEndpoint != null) ? " at target '" + this.destinationEndpoint + "'" : "");
	}

	/**
	 * A key prefix as the table keeps it: empty, or ending in {@code /}.
	 * @param prefix the prefix as a user gives it
	 * @param what the field, for the message
	 * @throws IllegalArgumentException when it starts with {@code /}
	 */
	public static String prefix(@Nullable String prefix, String what) {
		if (isBlank(prefix)) {
			return "";
		}
		require(!prefix.startsWith("/"),
				what + " '" + prefix + "' must not start with '/' (keys have no leading" + " slash)");
		return prefix.endsWith("/") ? prefix : prefix + "/";
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return isBlank(value) ? null : value.trim();
	}

}
