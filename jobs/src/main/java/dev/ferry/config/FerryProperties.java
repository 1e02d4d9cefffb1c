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
 * @param stopTimeout how long a launch waits for a stopped job to reach its next chunk
 * boundary after SIGTERM before it gives up and exits (the pod's
 * terminationGracePeriodSeconds should be longer)
 */
@Validated
@ConfigurationProperties("ferry")
public record FerryProperties(@NotNull @DefaultValue("UTC") ZoneId zone,
		@NotNull @DefaultValue("30s") Duration progressInterval, @NotNull @DefaultValue("25s") Duration stopTimeout) {

}
