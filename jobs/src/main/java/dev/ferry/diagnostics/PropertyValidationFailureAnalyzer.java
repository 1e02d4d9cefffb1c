package dev.ferry.diagnostics;

import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Properties that a validated {@code @ConfigurationProperties} class refused
 * ({@code @NotBlank}, {@code @AssertTrue}...), every one in the same line with its full
 * name: {@code invalid configuration: ferry.table-dump.target.bucket: must not be blank
 * (value: null)}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class PropertyValidationFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		String prefix = cause.getValidationErrors().getName().toString();
		String errors = cause.getValidationErrors()
			.getAllErrors()
			.stream()
			.map(error -> describe(prefix, error))
			.collect(Collectors.joining("; "));
		return new FailureAnalysis("invalid configuration: " + errors,
				"Fix the properties named above (see README, Configuration).", cause);
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
