package dev.ferry.mirror;

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
 * Registers one {@link ManagedBucket} per configured mirror, its target, for
 * {@code bucket-check} and {@code bucket-setup}: the number of beans depends on the
 * configuration, which a {@code @Bean} method cannot express. Each builds nothing until a
 * command asks for its bucket.
 */
class MirrorBucketRegistrar implements BeanRegistrar {

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		for (String name : mirrorNames(environment)) {
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

	/** The names under {@code ferry.s3-mirror.mirrors}, as the binder sees them. */
	static Set<String> mirrorNames(Environment environment) {
		Set<String> names = new TreeSet<>();
		ConfigurationPropertyName mirrors = MirrorsConfigured.MIRRORS;
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter(mirrors::isAncestorOf)
					.forEach(name -> names
						.add(name.getElement(mirrors.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL)));
			}
		}
		return names;
	}

}
