package dev.ferry.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import org.springframework.boot.convert.DurationStyle;

/**
 * The value of {@code history --since}: a date ({@code 2026-11-01}, from its start), a
 * date-time ({@code 2026-11-01T06:00}), or a time ago in Spring Boot's simple duration
 * style ({@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}). Times are local to this JVM,
 * as Spring Batch stores them. Anything else is a usage error.
 */
class SinceConverter implements ITypeConverter<LocalDateTime> {

	static final String FORMS = "a date (2026-11-01), a date-time (2026-11-01T06:00) or a time ago (90s, 30m, 12h, 7d)";

	private final Clock clock;

	SinceConverter() {
		this(Clock.systemDefaultZone());
	}

	SinceConverter(Clock clock) {
		this.clock = clock;
	}

	@Override
	public LocalDateTime convert(String value) {
		try {
			return value.contains("T") ? LocalDateTime.parse(value) : LocalDate.parse(value).atStartOfDay();
		}
		catch (DateTimeParseException notADate) {
			return LocalDateTime.now(this.clock).minus(ago(value));
		}
	}

	private static Duration ago(String value) {
		Duration ago;
		try {
			ago = DurationStyle.SIMPLE.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException("'" + value + "' is not " + FORMS);
		}
		// DurationStyle reads a bare number as milliseconds: surely not what "--since 7"
		// meant
		if (Character.isDigit(value.charAt(value.length() - 1))) {
			throw new TypeConversionException("'" + value + "' needs a unit: s, m, h or d (7d, not 7)");
		}
		if (ago.isNegative()) {
			throw new TypeConversionException("'" + value + "' is in the future: give a time ago such as 7d");
		}
		return ago;
	}

}
