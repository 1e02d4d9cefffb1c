package dev.ferry.testkit;

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

	@Override
	public String toString() {
		return "PostgresDatabase[" + jdbcUrl() + ", user " + this.username + "]";
	}

}
