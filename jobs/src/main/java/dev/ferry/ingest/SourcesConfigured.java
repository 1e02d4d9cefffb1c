package dev.ferry.ingest;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one ingest source is configured (any property under
 * {@code ferry.ingest.sources}), so that a Ferry deployed for another job needs none of
 * ingest's settings. {@code @ConditionalOnProperty} needs a fixed name, and a source's
 * name is the user's.
 */
class SourcesConfigured extends SpringBootCondition {

	static final ConfigurationPropertyName SOURCES = ConfigurationPropertyName.of(IngestProperties.PREFIX);

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return configured(context.getEnvironment()) ? ConditionOutcome.match("a source is configured under " + SOURCES)
				: ConditionOutcome.noMatch("no source is configured under " + SOURCES);
	}

	static boolean configured(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(SOURCES) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

}
