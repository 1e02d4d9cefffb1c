package dev.ferry.tabledump;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What table-dump needs to know of a source table, read from PostgreSQL's catalog: its
 * columns in order, its primary key columns in key order, and a row estimate for the ETA.
 *
 * @param name the table as the user named it
 * @param sqlName the schema-qualified, quoted name for SQL
 * @param columns the columns dumped, quoted, in table order (generated columns are left
 * out, as {@code COPY table TO} leaves them out)
 * @param keyColumns the primary key's columns, quoted, in key order; empty without a
 * primary key
 * @param keyPositions where each key column sits in {@code columns} (0-based)
 * @param estimatedRows the planner's row estimate ({@code pg_class.reltuples}); -1 when
 * never analyzed
 */
record SourceTable(TableName name, String sqlName, List<String> columns, List<String> keyColumns,
		List<Integer> keyPositions, long estimatedRows) {

	private static final String FIND = """
			SELECT c.oid, n.nspname, c.relname, c.reltuples::bigint, has_table_privilege(c.oid, 'SELECT')
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.oid = to_regclass(?) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')""";

	/**
	 * The columns {@code COPY table TO} writes, in table order: every column but
	 * generated ones, since {@code COPY table FROM} expects none and computes them again.
	 * A generated column in the primary key stays, because the dump resumes by its key.
	 */
	private static final String COLUMNS = """
			SELECT a.attname FROM pg_attribute a
			WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
			AND (a.attgenerated = '' OR EXISTS (SELECT 1 FROM pg_index i
				WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)))
			ORDER BY a.attnum""";

	private static final String KEY_COLUMNS = """
			SELECT a.attname FROM pg_index i
			CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
			WHERE i.indrelid = ? AND i.indisprimary ORDER BY k.ord""";

	/**
	 * Looks a table up, failing with a message that names it when it does not exist or
	 * the source user may not read it.
	 */
	static SourceTable lookUp(Connection connection, TableName name) throws SQLException {
		long oid;
		String qualified;
		long estimate;
		try (PreparedStatement find = connection.prepareStatement(FIND)) {
			// to_regclass parses the quoted name as data: nothing here is SQL text
			find.setString(1, name.sql());
			try (ResultSet row = find.executeQuery()) {
				if (!row.next()) {
					throw new TableProblem("Table '" + name.display()
							+ "' does not exist in the source database (or is not a table or view)");
				}
				oid = row.getLong(1);
				qualified = TableName.quote(row.getString(2)) + "." + TableName.quote(row.getString(3));
				estimate = row.getLong(4);
				if (!row.getBoolean(5)) {
					throw new TableProblem("Table '" + name.display()
							+ "': the source user has no SELECT privilege on it (GRANT SELECT ON " + qualified
							+ " TO <ferry's user>)");
				}
			}
		}
		List<String> columns = names(connection, COLUMNS, oid);
		List<String> keys = names(connection, KEY_COLUMNS, oid);
		List<Integer> positions = keys.stream().map(columns::indexOf).toList();
		return new SourceTable(name, qualified, columns, keys, positions, estimate);
	}

	boolean hasPrimaryKey() {
		return !this.keyColumns.isEmpty();
	}

	private static List<String> names(Connection connection, String sql, long oid) throws SQLException {
		List<String> names = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, oid);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					names.add(TableName.quote(rows.getString(1)));
				}
			}
		}
		return names;
	}

	/** A table that cannot be dumped as asked: missing, or not readable. */
	static class TableProblem extends RuntimeException {

		TableProblem(String message) {
			super(message);
		}

	}

}
