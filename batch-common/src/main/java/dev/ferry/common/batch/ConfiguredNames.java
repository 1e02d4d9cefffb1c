package dev.ferry.common.batch;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The names a user gave under a map-valued property
 * ({@code ferry.s3-mirror.mirrors.<name>}, {@code ferry.ingest.sources.<name>}), as the
 * binder sees them, from properties and environment variables alike: what a job registers
 * a bean per name for, before the properties are bound.
 */
public final class ConfiguredNames {

	private ConfiguredNames() {
	}

	/** The names directly under a property, sorted. */
	public static Set<String> under(Environment environment, ConfigurationPropertyName parent) {
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter(parent::isAncestorOf)
					.forEach(name -> names
						.add(name.getElement(parent.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL)));
			}
		}
		return names;
	}

}
