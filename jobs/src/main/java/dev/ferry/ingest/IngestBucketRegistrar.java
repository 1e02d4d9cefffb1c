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
 * command asks for its bucket. A source of type {@code s3} adds its source bucket (Ferry
 * deletes, moves or tags there), and a source with {@code quarantine-bucket} that bucket;
 * both with the source's {@code expire-days}. Which of those a source has is read from
 * the environment by name ({@code type}, {@code quarantine-bucket.bucket}), before
 * binding.
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
			if (binder.bind(property + ".type", IngestProperties.SourceType.class)
				.map(IngestProperties.SourceType.S3::equals)
				.orElse(false)) {
				registry.registerBean("ingestSourceBucket:" + name, ManagedBucket.class,
						spec -> spec.supplier(context -> bucket(context.bean(IngestSources.class),
								context.bean(IngestProperties.class), name, IngestSources::sourceBucket)));
			}
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
