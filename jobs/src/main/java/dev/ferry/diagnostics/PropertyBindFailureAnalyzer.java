package dev.ferry.diagnostics;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A property whose value could not be bound (a zone that does not exist, a duration that
 * is not one), or a properties class whose constructor refused its values: {@code invalid
 * configuration: property 'ferry.zone' = 'Mars/Olympus_Mons': Unknown time-zone ID}.
 * Refused validations are {@link PropertyValidationFailureAnalyzer}'s.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class PropertyBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		if (cause.getCause() instanceof BindValidationException) {
			return null;
		}
		String where = (cause.getProperty() != null)
				? "property '" + cause.getProperty().getName() + "' = '" + cause.getProperty().getValue() + "'"
				: "properties under '" + cause.getName() + "'";
		return new FailureAnalysis(
				"invalid configuration: " + where + ": "
						+ NestedExceptionUtils.getMostSpecificCause(cause).getMessage(),
				"Fix the property named above (see README, Configuration).", cause);
	}

}
