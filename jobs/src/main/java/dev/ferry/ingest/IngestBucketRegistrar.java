package dev.ferry.ingest;

import dev.ferry.common.batch.ConfiguredNames;
import dev.ferry.common.s3.ManagedBucket;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
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
		for (String name : ConfiguredNames.under(environment, SourcesConfigured.SOURCES)) {
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

}
