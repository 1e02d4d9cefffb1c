package dev.ferry.tabledump;

import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.Utils;

/**
 * The COPY statements that read a table: a keyset batch
 * ({@code WHERE (key) > (last) ORDER BY key LIMIT n}, composite keys as row values) or
 * the whole table in one pass. Identifiers come quoted from {@link SourceTable}; key
 * values from the last row become string literals through PgJDBC's own escaping, and
 * PostgreSQL types each literal from the key column it is compared with.
 */
final class KeysetQuery {

	private KeysetQuery() {
	}

	/**
	 * A batch of rows after a key, in key order.
	 * @param table the table
	 * @param after the key values of the last row already read, or null for the first
	 * batch
	 * @param limit how many rows at most
	 * @param header whether the output starts with the header row
	 */
	static String batch(SourceTable table, @Nullable List<String> after, int limit, boolean header) {
		StringBuilder sql = select(table);
		if (after != null) {
			sql.append(" WHERE (").append(String.join(", ", table.keyColumns())).append(") > (");
			for (int i = 0; i < after.size(); i++) {
				sql.append((i == 0) ? "" : ", ").append(literal(after.get(i)));
			}
			sql.append(')');
		}
		sql.append(" ORDER BY ").append(String.join(", ", table.keyColumns())).append(" LIMIT ").append(limit);
		return copy(sql, header);
	}

	/** The whole table, in no particular order, with a header. */
	static String onePass(SourceTable table) {
		return copy(select(table), true);
	}

	/**
	 * A value as an SQL string literal, for a session with
	 * {@code standard_conforming_strings} on (set by {@link SourceDatabase}).
	 */
	static String literal(String value) {
		try {
			return Utils.escapeLiteral(new StringBuilder("'"), value, true).append('\'').toString();
		}
		catch (SQLException ex) {
			// PgJDBC refuses a NUL, which PostgreSQL text never holds
			throw new IllegalArgumentException("A key value cannot become an SQL literal: " + ex.getMessage(), ex);
		}
	}

	private static StringBuilder select(SourceTable table) {
		return new StringBuilder("SELECT ").append(String.join(", ", table.columns()))
			.append(" FROM ")
			.append(table.sqlName());
	}

	private static String copy(StringBuilder query, boolean header) {
		return "COPY (" + query + ") TO STDOUT (FORMAT csv" + (header ? ", HEADER)" : ")");
	}

}
