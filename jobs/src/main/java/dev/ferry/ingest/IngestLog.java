package dev.ferry.ingest;

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

	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		text.codePoints().forEach(c -> {
			switch (c) {
				case '\\' -> escaped.append("\\\\");
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				default -> {
					if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
						escaped.append(String.format(Locale.ROOT, (c <= 0xFF) ? "\\x%02x" : "\\u%04x", c));
					}
					else {
						escaped.appendCodePoint(c);
					}
				}
			}
		});
		return escaped.toString();
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
