package dev.ferry.diagnostics;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The job repository database could not be reached (SQLState class 08, connection
 * exception: a wrong host or port, a database that is down) or refused the credentials
 * (28P01, PostgreSQL's invalid password). Spring Boot has no analyzer for either, and
 * would print the stack trace of Flyway's or Hikari's exception instead. Every command
 * that starts Spring opens the job repository first, so a database that fails this way is
 * that one.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class RepositoryConnectionFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	/** PostgreSQL's invalid_password. */
	private static final String INVALID_PASSWORD = "28P01";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String state = cause.getSQLState();
		if (state != null && state.startsWith("08")) {
			return new FailureAnalysis(
					"could not connect to the job repository database (spring.datasource.url): " + cause.getMessage(),
					"Check spring.datasource.url, and that the database accepts connections from here.", cause);
		}
		if (INVALID_PASSWORD.equals(state)) {
			return new FailureAnalysis(
					"the job repository database refused the credentials"
							+ " (spring.datasource.username, spring.datasource.password): " + cause.getMessage(),
					"Fix spring.datasource.username and spring.datasource.password.", cause);
		}
		return null;
	}

}
