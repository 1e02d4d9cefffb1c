package dev.ferry.mirror;

import dev.ferry.common.log.LogText;
import java.util.Locale;

/**
 * How keys and sizes appear in the job's log: the line of the {@code mc mirror} job it
 * replaces, {@code `input/<key>` -> `output/<key>`}, and its closing {@code Total:} line.
 * Keys are printed as they are, except that control characters and the backslash are
 * escaped ({@code \n}, {@code \x01}, {@code \\}): a key holding a newline must not forge
 * a log line.
 */
final class MirrorLog {

	private static final double MIB = 1024.0 * 1024.0;

	private MirrorLog() {
	}

	/** {@code `bucket/key`}, escaped. */
	static String object(String bucket, String key) {
		return "`" + escape(bucket + "/" + key) + "`";
	}

	/** See {@link LogText#escape}. */
	static String escape(String text) {
		return LogText.escape(text);
	}

	/** Bytes in MiB with two decimals, as {@code mc} prints them. */
	static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.2f MiB", bytes / MIB);
	}

	/** {@code Total: X MiB, Transferred: Y MiB, Speed: Z MiB/s}. */
	static String total(long totalBytes, long transferredBytes, long elapsedMillis) {
		double seconds = Math.max(elapsedMillis, 1) / 1000.0;
		return String.format(Locale.ROOT, "Total: %s, Transferred: %s, Speed: %.2f MiB/s", mib(totalBytes),
				mib(transferredBytes), transferredBytes / MIB / seconds);
	}

}
