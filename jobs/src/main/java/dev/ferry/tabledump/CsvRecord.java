package dev.ferry.tabledump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one record of PostgreSQL's CSV output into its fields. Only the last record of a
 * batch is split, to learn the key it ended at: COPY sends exactly one record per
 * message, so record boundaries need no parsing.
 */
final class CsvRecord {

	private CsvRecord() {
	}

	static List<String> fields(byte[] record) {
		String text = new String(record, StandardCharsets.UTF_8);
		int end = text.length();
		if (end > 0 && text.charAt(end - 1) == '\n') {
			end--;
		}
		if (end > 0 && text.charAt(end - 1) == '\r') {
			end--;
		}
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < end && text.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
			}
			else {
				field.append(c);
			}
		}
		fields.add(field.toString());
		return fields;
	}

}
