package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database on the embedded PostgreSQL server, with what a test or a child process
 * needs to reach it.
 *
 * @param host the server's host (loopback)
 * @param port the server's port
 * @param name the database name
 * @param username the user
 * @param password the user's password
 */
public record PostgresDatabase(String host, int port, String name, String username, String password) {

	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.name;
	}

	/** A non-pooled DataSource: enough for test assertions. */
	public DataSource dataSource() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(jdbcUrl());
		dataSource.setUser(this.username);
		dataSource.setPassword(this.password);
		return dataSource;
	}

	/**
	 * Runs a file of SQL through {@code psql} as an operator would (the example queries
	 * of {@code db/queries}), with psql variables, and returns what it prints.
	 * @param file the SQL file
	 * @param variables {@code name=value} pairs, each passed as {@code -v}
	 * @throws IllegalStateException when psql fails (ON_ERROR_STOP), with its output
	 */
	public String psql(Path file, String... variables) {
		List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", this.host,
				"-p", Integer.toString(this.port), "-U", this.username, "-d", this.name, "-P", "pager=off"));
		for (String variable : variables) {
			command.addAll(List.of("-v", variable));
		}
		command.addAll(List.of("-f", file.toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PGPASSWORD", this.password);
		try {
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.waitFor() != 0) {
				throw new IllegalStateException("psql -f " + file + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"psql not found: install it with 'sudo apt-get install -y postgresql-client'", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while psql ran " + file, ex);
		}
	}

	@Override
	public String toString() {
		return "PostgresDatabase[" + jdbcUrl() + ", user " + this.username + "]";
	}

}
