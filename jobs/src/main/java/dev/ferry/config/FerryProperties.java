package dev.ferry.config;

import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every job.
 *
 * @param zone the time zone that decides "today" for the default {@code runDate}
 * parameter
 * @param progressInterval how often each running step logs a progress line
 * @param runLockCheckInterval how often a running job checks that the database session
 * holding its run lock is alive; a lost lock stops the job at its next chunk boundary
 */
@Validated
@ConfigurationProperties("ferry")
public record FerryProperties(@NotNull @DefaultValue("UTC") ZoneId zone,
		@NotNull @DefaultValue("30s") Duration progressInterval,
		@NotNull @DefaultValue("30s") Duration runLockCheckInterval) {

	public FerryProperties {
		requirePositive("ferry.progress-interval", progressInterval);
		requirePositive("ferry.run-lock-check-interval", runLockCheckInterval);
	}

	private static void requirePositive(String property, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new IllegalArgumentException(property + " must be a positive duration such as 30s, not " + value);
		}
	}

}
