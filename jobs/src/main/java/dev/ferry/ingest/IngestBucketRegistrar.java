package dev.ferry.ingest;

import java.util.Set;
import java.util.TreeSet;

import dev.ferry.common.s3.ManagedBucket;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link ManagedBucket} per configured source, its destination bucket, for
 * {@code bucket-check} and {@code bucket-setup}: the number of beans depends on the
 * configuration, which a {@code @Bean} method cannot express. Each builds nothing until a
 * command asks for its bucket.
 */
class IngestBucketRegistrar implements BeanRegistrar {

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		for (String name : sourceNames(environment)) {
			registry.registerBean("ingestBucket:" + name, ManagedBucket.class, spec -> spec.supplier(
					context -> bucket(context.bean(IngestSources.class), context.bean(IngestProperties.class), name)));
		}
	}

	private static ManagedBucket bucket(IngestSources sources, IngestProperties properties, String name) {
		IngestProperties.Source source = properties.sources().get(name);
		int expireDays = (source != null) ? source.expireDays() : 14;
		return new ManagedBucket(IngestConfiguration.JOB_NAME, () -> sources.target(name), expireDays,
				IngestProperties.property(name) + ".expire-days");
	}

	/** The names under {@code ferry.ingest.sources}, as the binder sees them. */
	static Set<String> sourceNames(Environment environment) {
		Set<String> names = new TreeSet<>();
		ConfigurationPropertyName sources = SourcesConfigured.SOURCES;
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter(sources::isAncestorOf)
					.forEach(name -> names
						.add(name.getElement(sources.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL)));
			}
		}
		return names;
	}

}
