package dev.ferry.config;

import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every job.
 *
 * @param zone the time zone that decides "today" for the default {@code runDate}
 * parameter
 * @param progressInterval how often each running step logs a progress line
 */
@Validated
@ConfigurationProperties("ferry")
public record FerryProperties(@NotNull @DefaultValue("UTC") ZoneId zone,
		@NotNull @DefaultValue("30s") Duration progressInterval) {

	public FerryProperties {
		if (progressInterval != null && (progressInterval.isNegative() || progressInterval.isZero())) {
			throw new IllegalArgumentException(
					"ferry.progress-interval must be a positive duration such as 30s, not " + progressInterval);
		}
	}

}
