package dev.ferry.history;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A query result laid out the way psql's default aligned format prints it, so that what
 * {@code ferry history} shows is what an operator sees with
 * {@code psql -c 'select * from ...'}: centred headers, numbers right-aligned, text
 * left-aligned, NULL as an empty cell, and a {@code (N rows)} footer.
 */
public final class PsqlTable {

	private final List<String> headers;

	private final List<Boolean> rightAligned;

	private final List<List<String>> rows;

	private PsqlTable(List<String> headers, List<Boolean> rightAligned, List<List<String>> rows) {
		this.headers = headers;
		this.rightAligned = rightAligned;
		this.rows = rows;
	}

	/** Reads every row of a result set, each value in PostgreSQL's text form. */
	public static PsqlTable of(ResultSet rs) throws SQLException {
		ResultSetMetaData meta = rs.getMetaData();
		List<String> headers = new ArrayList<>();
		List<Boolean> right = new ArrayList<>();
		for (int i = 1; i <= meta.getColumnCount(); i++) {
			headers.add(meta.getColumnLabel(i));
			right.add(isNumeric(meta.getColumnType(i)));
		}
		List<List<String>> rows = new ArrayList<>();
		while (rs.next()) {
			List<String> row = new ArrayList<>();
			for (int i = 1; i <= headers.size(); i++) {
				String value = rs.getString(i);
				row.add((value != null) ? value : "");
			}
			rows.add(row);
		}
		return new PsqlTable(headers, right, rows);
	}

	public int rowCount() {
		return this.rows.size();
	}

	/** The table as psql prints it, footer and trailing blank line included. */
	public String render() {
		int columns = this.headers.size();
		int[] widths = new int[columns];
		for (int c = 0; c < columns; c++) {
			widths[c] = width(this.headers.get(c));
			for (List<String> row : this.rows) {
				widths[c] = Math.max(widths[c], width(row.get(c)));
			}
		}
		StringBuilder out = new StringBuilder();
		for (int c = 0; c < columns; c++) {
			String header = this.headers.get(c);
			int left = (widths[c] - width(header)) / 2;
			out.append(c == 0 ? " " : " | ");
			out.append(" ".repeat(left)).append(header);
			out.append(" ".repeat(widths[c] - width(header) - left));
		}
		out.append(" \n");
		for (int c = 0; c < columns; c++) {
			out.append(c == 0 ? "" : "+").append("-".repeat(widths[c] + 2));
		}
		out.append('\n');
		for (List<String> row : this.rows) {
			StringBuilder line = new StringBuilder();
			for (int c = 0; c < columns; c++) {
				String value = row.get(c);
				line.append(c == 0 ? " " : " | ");
				String pad = " ".repeat(widths[c] - width(value));
				if (this.rightAligned.get(c)) {
					line.append(pad).append(value);
				}
				else {
					line.append(value);
					if (c < columns - 1) {
						line.append(pad);
					}
				}
			}
			out.append(line).append('\n');
		}
		out.append(this.rows.size() == 1 ? "(1 row)" : "(" + this.rows.size() + " rows)").append("\n\n");
		return out.toString();
	}

	private static int width(String text) {
		return text.codePointCount(0, text.length());
	}

	private static boolean isNumeric(int sqlType) {
		return switch (sqlType) {
			case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.NUMERIC, Types.DECIMAL, Types.REAL,
					Types.DOUBLE, Types.FLOAT ->
				true;
			default -> false;
		};
	}

}
