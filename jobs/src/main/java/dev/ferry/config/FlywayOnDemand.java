package dev.ferry.config;

import java.util.Arrays;
import java.util.Set;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * Leaves Flyway's own bean unbuilt until a migration is due. Spring Boot counts the
 * {@link Flyway} bean as a database initializer of its own, so every bean that waits for
 * the database's initialization (the job repository, {@code JdbcTemplate}, the schema
 * check itself) would depend on it and build it, with its plugins and configuration, on
 * every command. They still depend on the schema check ({@code flywayInitializer}, see
 * {@link RepositorySchemaConfiguration}), which builds Flyway through a lazy reference
 * only when it migrates: this drops the dependencies on Flyway's bean, after Spring Boot
 * has added them.
 */
final class FlywayOnDemand implements BeanFactoryPostProcessor, Ordered {

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Set<String> flyways = Set.of(beanFactory.getBeanNamesForType(Flyway.class, true, false));
		if (flyways.isEmpty()) {
			return;
		}
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			String[] dependsOn = definition.getDependsOn();
			if (dependsOn != null && Arrays.stream(dependsOn).anyMatch(flyways::contains)) {
				definition.setDependsOn(Arrays.stream(dependsOn)
					.filter(dependency -> !flyways.contains(dependency))
					.toArray(String[]::new));
			}
		}
	}

	/** After Spring Boot's DependsOnDatabaseInitializationPostProcessor (order 0). */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
