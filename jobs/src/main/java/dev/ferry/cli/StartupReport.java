package dev.ferry.cli;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;

/**
 * Where Spring's start-up time goes, for whoever makes it faster: with
 * {@code -Dferry.startup.report} (or {@code =N}), the N (default 30) longest steps of
 * Spring's {@code ApplicationStartup} (bean instantiations, configuration class parsing,
 * post-processors...) go to stderr once the application has started. Steps nest, so their
 * times overlap. See bench/startup/README.md.
 */
final class StartupReport {

	static final String PROPERTY = "ferry.startup.report";

	private final BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);

	private final int steps;

	private StartupReport(int steps) {
		this.steps = steps;
	}

	/** The report the system property asks for, or null. */
	static @Nullable StartupReport requested() {
		String value = System.getProperty(PROPERTY);
		if (value == null) {
			return null;
		}
		return new StartupReport(
				(value.isBlank() || !value.chars().allMatch(Character::isDigit)) ? 30 : Integer.parseInt(value));
	}

	BufferingApplicationStartup startup() {
		return this.startup;
	}

	void print() {
		List<TimelineEvent> events = this.startup.getBufferedTimeline()
			.getEvents()
			.stream()
			.sorted(Comparator.comparing(TimelineEvent::getDuration).reversed())
			.limit(this.steps)
			.toList();
		for (TimelineEvent event : events) {
			String tags = StreamSupport.stream(event.getStartupStep().getTags().spliterator(), false)
				.map(tag -> tag.getKey() + "=" + tag.getValue())
				.collect(Collectors.joining(" "));
			System.err.printf("startup %6d ms  %s %s%n", event.getDuration().toMillis(),
					event.getStartupStep().getName(), tags);
		}
	}

}
