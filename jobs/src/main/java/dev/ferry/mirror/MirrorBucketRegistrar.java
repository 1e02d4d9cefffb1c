package dev.ferry.mirror;

import dev.ferry.common.batch.ConfiguredNames;
import dev.ferry.common.s3.ManagedBucket;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link ManagedBucket} per configured mirror, its target, for
 * {@code bucket-check} and {@code bucket-setup}: the number of beans depends on the
 * configuration, which a {@code @Bean} method cannot express. Each builds nothing until a
 * command asks for its bucket.
 */
class MirrorBucketRegistrar implements BeanRegistrar {

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		for (String name : ConfiguredNames.under(environment, MirrorsConfigured.MIRRORS)) {
			registry.registerBean("s3MirrorBucket:" + name, ManagedBucket.class,
					spec -> spec.supplier(context -> bucket(context.bean(MirrorEndpoints.class),
							context.bean(S3MirrorProperties.class), name)));
		}
	}

	private static ManagedBucket bucket(MirrorEndpoints endpoints, S3MirrorProperties properties, String name) {
		S3MirrorProperties.Mirror mirror = properties.mirrors().get(name);
		int expireDays = (mirror != null) ? mirror.expireDays() : 14;
		return new ManagedBucket(S3MirrorConfiguration.JOB_NAME, () -> endpoints.target(name), expireDays,
				S3MirrorProperties.property(name) + ".expire-days");
	}

}
