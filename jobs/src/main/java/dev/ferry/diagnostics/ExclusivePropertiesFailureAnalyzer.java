package dev.ferry.diagnostics;

import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Properties of which only one may be set were set together (the pushgateway's
 * {@code token} and {@code username}). The exception's own message names them in one
 * line; Spring Boot's analysis lists them with their origins over many.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ExclusivePropertiesFailureAnalyzer
		extends AbstractFailureAnalyzer<MutuallyExclusiveConfigurationPropertiesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MutuallyExclusiveConfigurationPropertiesException cause) {
		return new FailureAnalysis("invalid configuration: " + cause.getMessage(),
				"Set only one of the properties named above.", cause);
	}

}
