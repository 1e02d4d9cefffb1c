package dev.ferry.config;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * The job repository's schema, checked first by every command that starts Spring, and
 * migrated by Flyway only when it lacks a migration ({@link CurrentSchema}). Replaces
 * Spring Boot's Flyway initializer (which backs off when one is defined), so that
 * everything Spring Boot makes wait for the database's initialization still waits for
 * this one; Flyway itself is only built when a migration is due.
 * <p>
 * The CLI starts Spring with lazy initialization (a command builds only the beans it
 * uses): the initializer is exempt, so that the first thing a command does is still to
 * open the job repository, which {@code dev.ferry.diagnostics} relies on to name the
 * property of a database that cannot be reached.
 */
@Configuration(proxyBeanMethods = false)
public class RepositorySchemaConfiguration {

	@Bean
	static LazyInitializationExcludeFilter repositorySchemaFirst() {
		return LazyInitializationExcludeFilter.forBeanTypes(FlywayMigrationInitializer.class);
	}

	/**
	 * Configuration properties are bound and validated at start-up all the same, whatever
	 * the command uses: a bad setting of any configured job fails every command with exit
	 * code 6 and the property's name, as before lazy initialization.
	 */
	@Bean
	static LazyInitializationExcludeFilter configurationCheckedFirst() {
		return (name, definition, type) -> type != null
				&& AnnotatedElementUtils.hasAnnotation(type, ConfigurationProperties.class);
	}

	@Bean
	static FlywayOnDemand flywayOnDemand() {
		return new FlywayOnDemand();
	}

	/** Where Flyway is turned off, so is this initializer, as Spring Boot's. */
	@Bean
	@ConditionalOnBooleanProperty(name = "spring.flyway.enabled", matchIfMissing = true)
	FlywayMigrationInitializer flywayInitializer(@Lazy Flyway flyway, DataSource dataSource,
			FlywayProperties properties) {
		// Flyway in a database, schema or user of its own: this check would look
		// elsewhere
		boolean checkable = !StringUtils.hasText(properties.getUrl()) && !StringUtils.hasText(properties.getUser())
				&& properties.getSchemas().isEmpty() && !StringUtils.hasText(properties.getDefaultSchema());
		return new FlywayMigrationInitializer(flyway,
				new CurrentSchema(dataSource, properties.getTable(), properties.getLocations(), checkable));
	}

}
