package dev.ferry.cli;

import java.sql.SQLException;
import java.util.stream.Collectors;

import dev.ferry.common.failure.RootCause;
import dev.ferry.run.ExitCode;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns an exception that ended a command into one line that says what is wrong and
 * where: the configuration property, or the database that could not be reached.
 */
record StartupFailure(ExitCode exitCode, String message) {

	static StartupFailure explain(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindValidationException validation) {
				String errors = validation.getValidationErrors()
					.getAllErrors()
					.stream()
					.map(error -> describe(validation.getValidationErrors().getName().toString(), error))
					.collect(Collectors.joining("; "));
				return new StartupFailure(ExitCode.CONFIGURATION, "invalid configuration: " + errors);
			}
			if (cause instanceof BindException bind && !(bind.getCause() instanceof BindValidationException)) {
				String where = (bind.getProperty() != null)
						? "property '" + bind.getProperty().getName() + "' = '" + bind.getProperty().getValue() + "'"
						: "properties under '" + bind.getName() + "'";
				return new StartupFailure(ExitCode.CONFIGURATION, "invalid configuration: " + where + ": "
						+ NestedExceptionUtils.getMostSpecificCause(bind).getMessage());
			}
			if (cause instanceof MutuallyExclusiveConfigurationPropertiesException exclusive) {
				return new StartupFailure(ExitCode.CONFIGURATION, "invalid configuration: " + exclusive.getMessage());
			}
			if (cause.getClass().getSimpleName().equals("DataSourceBeanCreationException")) {
				return new StartupFailure(ExitCode.CONFIGURATION,
						"the job repository database is not configured: set spring.datasource.url (environment"
								+ " SPRING_DATASOURCE_URL=jdbc:postgresql://host:5432/ferry): " + cause.getMessage());
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return new StartupFailure(ExitCode.CONFIGURATION,
						"could not connect to the job repository database (spring.datasource.url): "
								+ sql.getMessage());
			}
			if (cause instanceof SQLException sql && "28P01".equals(sql.getSQLState())) {
				return new StartupFailure(ExitCode.CONFIGURATION,
						"the job repository database refused the credentials (spring.datasource.username,"
								+ " spring.datasource.password): " + sql.getMessage());
			}
		}
		return new StartupFailure(ExitCode.FAILED, RootCause.describe(failure));
	}

	private static String describe(String prefix, ObjectError error) {
		if (!(error instanceof FieldError field)) {
			return prefix + ": " + error.getDefaultMessage();
		}
		// an @AssertTrue check has a boolean "value" that would only confuse
		String value = (field.getRejectedValue() instanceof Boolean) ? ""
				: " (value: " + field.getRejectedValue() + ")";
		return prefix + "." + field.getField() + ": " + field.getDefaultMessage() + value;
	}

}
