package dev.ferry.tabledump;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.common.secret.MaskedUrl;

/**
 * The database table-dump reads from, with its own small pool: never the job
 * repository's. Nothing connects until a table is dumped, so that Ferry's other commands
 * work while the source is down.
 * <p>
 * Every connection it hands out reads in one snapshot
 * ({@code REPEATABLE READ, READ ONLY}) and formats values the same way in every run (UTC,
 * ISO dates, shortest exact floats), so that a resumed dump writes the bytes an
 * uninterrupted one would.
 */
class SourceDatabase implements AutoCloseable {

	private final HikariDataSource pool;

	private final String url;

	SourceDatabase(TableDumpProperties.Source source, int maxConnections) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("ferry-table-dump-source");
		config.setJdbcUrl(source.url());
		config.setUsername(source.username());
		config.setPassword(source.password());
		config.setMaximumPoolSize(maxConnections);
		config.setMinimumIdle(0);
		// an unreachable or refusing source is reported after 10 s, not Hikari's 30
		config.setConnectionTimeout(10_000);
		// connect on first use, not at start-up: 'ferry history' must work while the
		// source is down
		config.setInitializationFailTimeout(-1);
		config.setAutoCommit(false);
		config.setReadOnly(true);
		config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
		config.addDataSourceProperty("ApplicationName", "ferry table-dump");
		this.pool = new HikariDataSource(config);
		// only ever shown: a password in the URL stays out of messages and logs
		this.url = MaskedUrl.of(source.url());
	}

	/**
	 * A connection in a fresh read-only snapshot, with deterministic output settings. The
	 * caller closes it, which ends the snapshot.
	 */
	Connection openSnapshot() {
		try {
			Connection connection = this.pool.getConnection();
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
						+ " SET extra_float_digits = 1; SET bytea_output = 'hex'; SET standard_conforming_strings = on");
				return connection;
			}
			catch (SQLException ex) {
				connection.close();
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw SourceFailure.of(ex, this.url);
		}
	}

	/** The URL as messages show it, secrets masked. */
	String url() {
		return this.url;
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
