package dev.ferry.diagnostics;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

	private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

	private static final Pattern MAP_KEY = Pattern.compile("\\[([A-Za-z0-9_-]*[A-Za-z_-][A-Za-z0-9_-]*)\\]");

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
		return prefix + "." + asWritten(field.getField()) + ": " + field.getDefaultMessage() + value;
	}

	/**
	 * A field path as an operator writes the property: each name in kebab case
	 * ({@code maxDelete} is {@code max-delete}), a map key as a name kept as written
	 * ({@code mirrors.datahub.target}, not the validator's {@code mirrors[datahub]}).
	 * List indexes keep their brackets.
	 */
	static String asWritten(String fieldPath) {
		StringBuilder written = new StringBuilder();
		Matcher keys = MAP_KEY.matcher(fieldPath);
		int from = 0;
		while (keys.find()) {
			written.append(kebab(fieldPath.substring(from, keys.start()))).append('.').append(keys.group(1));
			from = keys.end();
		}
		return written.append(kebab(fieldPath.substring(from))).toString();
	}

	private static String kebab(String names) {
		return CAMEL_HUMP.matcher(names).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
	}

}
