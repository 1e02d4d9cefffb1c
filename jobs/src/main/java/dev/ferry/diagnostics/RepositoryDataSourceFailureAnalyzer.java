package dev.ferry.diagnostics;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanInstantiationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The job repository's {@link DataSource} could not be built, which in Ferry means that
 * {@code spring.datasource.url} is missing or not a PostgreSQL URL ("Failed to determine
 * a suitable driver class"). Spring Boot's own analysis of that suggests an embedded
 * database, which Ferry never uses; this one names the property to set.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class RepositoryDataSourceFailureAnalyzer extends AbstractFailureAnalyzer<BeanInstantiationException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BeanInstantiationException cause) {
		if (!DataSource.class.isAssignableFrom(cause.getBeanClass())) {
			return null;
		}
		return new FailureAnalysis(
				"the job repository database is not configured: set spring.datasource.url"
						+ " (environment SPRING_DATASOURCE_URL=jdbc:postgresql://host:5432/ferry): "
						+ NestedExceptionUtils.getMostSpecificCause(cause).getMessage(),
				"Set spring.datasource.url to the job repository's PostgreSQL database.", cause);
	}

}
