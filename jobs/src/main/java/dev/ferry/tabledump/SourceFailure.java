package dev.ferry.tabledump;

import java.sql.SQLException;

/**
 * A source database error, explained with the setting to look at: unreachable server,
 * refused credentials, or anything else with the server's own message.
 */
public class SourceFailure extends RuntimeException {

	private SourceFailure(String message, Throwable cause) {
		super(message, cause);
	}

	public static SourceFailure of(SQLException ex, String url) {
		String state = (ex.getSQLState() != null) ? ex.getSQLState() : "";
		if (state.startsWith("08")) {
			return new SourceFailure("Could not connect to the source database " + url
					+ " (ferry.table-dump.source.url): " + ex.getMessage(), ex);
		}
		if (state.equals("28P01") || state.equals("28000")) {
			return new SourceFailure("The source database " + url + " refused the credentials"
					+ " (ferry.table-dump.source.username, ferry.table-dump.source.password): " + ex.getMessage(), ex);
		}
		return new SourceFailure("Source database " + url + ": " + ex.getMessage(), ex);
	}

	/** An error while dumping a table: a broken connection is lost, not refused. */
	public static SourceFailure of(SQLException ex, String url, TableName table) {
		String state = (ex.getSQLState() != null) ? ex.getSQLState() : "";
		if (state.startsWith("08") || state.startsWith("57P")) {
			return new SourceFailure("Table '" + table.display() + "': lost the connection to the source database "
					+ url + " (the dump resumes from its last uploaded part on restart): " + ex.getMessage(), ex);
		}
		SourceFailure general = of(ex, url);
		if (general.getMessage().startsWith("Source database ")) {
			return new SourceFailure("Table '" + table.display() + "': " + general.getMessage(), ex);
		}
		return general;
	}

}
