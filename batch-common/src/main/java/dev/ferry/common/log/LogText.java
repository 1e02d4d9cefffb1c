package dev.ferry.common.log;

import java.util.Locale;

/**
 * Names that come from the data (object keys, file names) as a log line may show them: a
 * key may hold a newline or an escape sequence, which would forge a log line or rewrite a
 * terminal. Backslashes, newlines, carriage returns and tabs are escaped as in Java,
 * other control characters and the Unicode line and paragraph separators become a
 * backslash, {@code x} and two hex digits (or {@code u} and four); everything else stays
 * as it is.
 */
public final class LogText {

	private LogText() {
	}

	public static String escape(String text) {
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

}
