package dev.ferry.tabledump;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Utils;

/**
 * A table named in the {@code tables} parameter: {@code table} or {@code schema.table},
 * each part an SQL identifier, either plain ({@code [A-Za-z_][A-Za-z0-9_$]*}, folded to
 * lower case as PostgreSQL does) or double-quoted ({@code "Mixed Case"}, with {@code ""}
 * for a quote). Anything else, such as {@code users; drop table x}, is refused before any
 * SQL is written, and SQL only ever sees the name {@linkplain #sql() quoted}.
 *
 * @param schema the schema, or null to resolve the table through the search path
 * @param name the table name, as PostgreSQL stores it
 * @param display the name as the user wrote it, for log lines and messages
 */
record TableName(@Nullable String schema, String name, String display) {

	/** Parses one entry of the {@code tables} parameter. */
	static TableName parse(String text) {
		String display = text.strip();
		List<String> parts = new ArrayList<>();
		int position = 0;
		while (true) {
			if (position >= display.length()) {
				throw invalid(display, "an identifier is missing");
			}
			StringBuilder part = new StringBuilder();
			if (display.charAt(position) == '"') {
				position = readQuoted(display, position + 1, part);
			}
			else {
				position = readPlain(display, position, part);
			}
			parts.add(part.toString());
			if (position == display.length()) {
				break;
			}
			if (display.charAt(position) != '.') {
				throw invalid(display, "unexpected '" + display.charAt(position) + "' at position " + (position + 1));
			}
			position++;
		}
		if (parts.size() > 2) {
			throw invalid(display, "use table or schema.table");
		}
		for (String part : parts) {
			if (part.isEmpty() || part.length() > 63) {
				throw invalid(display, "identifiers are 1 to 63 characters long");
			}
			if (part.indexOf('\0') >= 0) {
				throw invalid(display, "PostgreSQL identifiers hold no NUL character");
			}
		}
		return (parts.size() == 1) ? new TableName(null, parts.get(0), display)
				: new TableName(parts.get(0), parts.get(1), display);
	}

	/** Parses the comma-separated {@code tables} parameter. */
	static List<TableName> parseList(String text) {
		List<TableName> tables = new ArrayList<>();
		for (String entry : splitOutsideQuotes(text)) {
			TableName table = parse(entry);
			if (tables.stream().anyMatch(other -> other.objectName().equals(table.objectName()))) {
				throw new IllegalArgumentException("table '" + table.display() + "' is listed twice");
			}
			tables.add(table);
		}
		if (tables.isEmpty()) {
			throw new IllegalArgumentException("no table given: tables=schema.table[,schema.table...]");
		}
		return tables;
	}

	/** The name for SQL: every part double-quoted, so nothing in it is ever SQL. */
	String sql() {
		return (this.schema != null) ? quote(this.schema) + "." + quote(this.name) : quote(this.name);
	}

	/**
	 * The object name's stem: {@code schema.table} when a schema was given, else
	 * {@code table}, each part with {@code %}, {@code .}, {@code /}, {@code "},
	 * {@code \\} and control characters percent-encoded ({@code "s.t"} is {@code s%2Et}).
	 * The mapping is injective: two different tables never share a key, and no name can
	 * climb out of the date folder or hide a character in a log line.
	 */
	String objectName() {
		return (this.schema != null) ? encode(this.schema) + "." + encode(this.name) : encode(this.name);
	}

	static String encode(String identifier) {
		StringBuilder encoded = new StringBuilder(identifier.length());
		identifier.codePoints().forEach(c -> {
			if (c == '%' || c == '.' || c == '/' || c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
				encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
			}
			else {
				encoded.appendCodePoint(c);
			}
		});
		return encoded.toString();
	}

	/** An identifier double-quoted by PgJDBC's own escaping. */
	static String quote(String identifier) {
		try {
			return Utils.escapeIdentifier(null, identifier).toString();
		}
		catch (SQLException ex) {
			// PgJDBC refuses a NUL, which no PostgreSQL identifier holds
			throw new IllegalArgumentException("'" + identifier + "' cannot be an SQL identifier: " + ex.getMessage(),
					ex);
		}
	}

	private static int readQuoted(String text, int position, StringBuilder part) {
		while (position < text.length()) {
			char c = text.charAt(position);
			if (c == '"') {
				if (position + 1 < text.length() && text.charAt(position + 1) == '"') {
					part.append('"');
					position += 2;
					continue;
				}
				return position + 1;
			}
			part.append(c);
			position++;
		}
		throw invalid(text, "a double quote is not closed");
	}

	private static int readPlain(String text, int position, StringBuilder part) {
		int start = position;
		while (position < text.length() && isPlain(text.charAt(position), position == start)) {
			position++;
		}
		if (position == start) {
			throw invalid(text, "unexpected '" + text.charAt(position) + "' at position " + (position + 1));
		}
		part.append(text.substring(start, position).toLowerCase(Locale.ROOT));
		return position;
	}

	private static boolean isPlain(char c, boolean first) {
		boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		return first ? letter : letter || (c >= '0' && c <= '9') || c == '$';
	}

	private static List<String> splitOutsideQuotes(String text) {
		List<String> entries = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		boolean quoted = false;
		for (char c : text.toCharArray()) {
			if (c == '"') {
				quoted = !quoted;
			}
			if (c == ',' && !quoted) {
				addIfPresent(entries, current);
				current.setLength(0);
			}
			else {
				current.append(c);
			}
		}
		addIfPresent(entries, current);
		return entries;
	}

	private static void addIfPresent(List<String> entries, StringBuilder entry) {
		if (!entry.toString().isBlank()) {
			entries.add(entry.toString());
		}
	}

	private static IllegalArgumentException invalid(String text, String reason) {
		return new IllegalArgumentException(
				"'" + text + "' is not a table name (" + reason + "); write table, schema.table or \"Quoted Name\"");
	}

	@Override
	public String toString() {
		return this.display;
	}

}
