package dev.ferry.ingest;

import dev.ferry.common.batch.ConfiguredNames;
import java.util.function.BiFunction;

import dev.ferry.common.s3.ManagedBucket;
import dev.ferry.common.s3.S3Target;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link ManagedBucket} per configured source, its destination bucket, for
 * {@code bucket-check} and {@code bucket-setup}: the number of beans depends on the
 * configuration, which a {@code @Bean} method cannot express. Each builds nothing until a
 * command asks for its bucket. A source with {@code quarantine-bucket} adds that bucket,
 * with the source's {@code expire-days}; whether it has one is read from the environment
 * by name ({@code quarantine-bucket.bucket}), before binding. The bucket of an s3 source
 * is not one: it is the sender's inbox, and an expiry rule that {@code bucket-setup}
 * applied there could delete files before they are ingested ({@code checkIngest} checks
 * that it can be listed).
 */
class IngestBucketRegistrar implements BeanRegistrar {

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		for (String name : ConfiguredNames.under(environment, SourcesConfigured.SOURCES)) {
			registry.registerBean("ingestBucket:" + name, ManagedBucket.class,
					spec -> spec.supplier(context -> bucket(context.bean(IngestSources.class),
							context.bean(IngestProperties.class), name, IngestSources::target)));
			Binder binder = Binder.get(environment);
			String property = IngestProperties.property(name);
			if (binder.bind(property + ".quarantine-bucket.bucket", String.class).isBound()) {
				registry.registerBean("ingestQuarantineBucket:" + name, ManagedBucket.class,
						spec -> spec.supplier(context -> bucket(context.bean(IngestSources.class),
								context.bean(IngestProperties.class), name, IngestSources::quarantineBucket)));
			}
		}
	}

	private static ManagedBucket bucket(IngestSources sources, IngestProperties properties, String name,
			BiFunction<IngestSources, String, S3Target> bucket) {
		IngestProperties.Source source = properties.sources().get(name);
		int expireDays = (source != null) ? source.expireDays() : 14;
		return new ManagedBucket(IngestConfiguration.JOB_NAME, () -> bucket.apply(sources, name), expireDays,
				IngestProperties.property(name) + ".expire-days");
	}

}
