package dev.ferry.mirror;

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
 * Matches when at least one mirror is configured (any property under
 * {@code ferry.s3-mirror.mirrors}), so that a Ferry deployed for another job needs none
 * of s3-mirror's settings. {@code @ConditionalOnProperty} needs a fixed name, and a
 * mirror's name is the user's. {@link EgressSourcesConfigured} does the same for the
 * sources of routed egress.
 */
class MirrorsConfigured extends SpringBootCondition {

	static final ConfigurationPropertyName MIRRORS = ConfigurationPropertyName.of(S3MirrorProperties.PREFIX);

	private final ConfigurationPropertyName name;

	MirrorsConfigured() {
		this(MIRRORS);
	}

	MirrorsConfigured(ConfigurationPropertyName name) {
		this.name = name;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return configured(context.getEnvironment(), this.name)
				? ConditionOutcome.match("something is configured under " + this.name)
				: ConditionOutcome.noMatch("nothing is configured under " + this.name);
	}

	static boolean configured(Environment environment, ConfigurationPropertyName name) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

	/** Matches when at least one egress source is configured. */
	static class EgressSourcesConfigured extends MirrorsConfigured {

		EgressSourcesConfigured() {
			super(ConfigurationPropertyName.of(S3EgressProperties.PREFIX + ".sources"));
		}

	}

}
