package dev.ferry.ingest;

import dev.ferry.common.log.LogText;
import java.util.Locale;

/**
 * How names and sizes appear in the job's log and ledger: control characters and the
 * backslash escaped ({@code \n}, {@code \x01}, {@code \\}), so that a file name holding a
 * newline cannot forge a log line, and a NUL fits a PostgreSQL text column.
 */
final class IngestLog {

	private static final double MIB = 1024.0 * 1024.0;

	private IngestLog() {
	}

	/** See {@link LogText#escape}. */
	static String escape(String text) {
		return LogText.escape(text);
	}

	/** {@code 'path'}, escaped. */
	static String quoted(String path) {
		return "'" + escape(path) + "'";
	}

	static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.2f MiB", bytes / MIB);
	}

	static String rate(long bytes, long millis) {
		return String.format(Locale.ROOT, "%.2f MiB/s", bytes / MIB / (Math.max(millis, 1) / 1000.0));
	}

}
