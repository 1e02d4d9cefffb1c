package dev.ferry.tabledump;

import java.sql.SQLException;

/**
 * A source database error, explained with the setting to look at: unreachable server,
 * refused credentials, or anything else with the server's own message.
 */
class SourceFailure extends RuntimeException {

	private SourceFailure(String message, Throwable cause) {
		super(message, cause);
	}

	static SourceFailure of(SQLException ex, String url) {
		if (isConnectionFailure(ex)) {
			return new SourceFailure("Could not connect to the source database " + url
					+ " (ferry.table-dump.source.url): " + ex.getMessage(), ex);
		}
		if (isCredentialsFailure(ex)) {
			return credentials(ex, url);
		}
		return new SourceFailure("Source database " + url + ": " + ex.getMessage(), ex);
	}

	/** An error while dumping a table: a broken connection is lost, not refused. */
	static SourceFailure of(SQLException ex, String url, TableName table) {
		if (isConnectionFailure(ex) || state(ex).startsWith("57P")) {
			return new SourceFailure("Table '" + table.display() + "': lost the connection to the source database "
					+ url + " (the dump resumes from its last uploaded part on restart): " + ex.getMessage(), ex);
		}
		if (isCredentialsFailure(ex)) {
			return credentials(ex, url);
		}
		return new SourceFailure("Table '" + table.display() + "': Source database " + url + ": " + ex.getMessage(),
				ex);
	}

	private static SourceFailure credentials(SQLException ex, String url) {
		return new SourceFailure(
				"The source database " + url + " refused the credentials"
						+ " (ferry.table-dump.source.username, ferry.table-dump.source.password): " + ex.getMessage(),
				ex);
	}

	private static boolean isConnectionFailure(SQLException ex) {
		return state(ex).startsWith("08");
	}

	private static boolean isCredentialsFailure(SQLException ex) {
		return state(ex).equals("28P01") || state(ex).equals("28000");
	}

	private static String state(SQLException ex) {
		return (ex.getSQLState() != null) ? ex.getSQLState() : "";
	}

}
