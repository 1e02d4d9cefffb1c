package dev.ferry.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Ferry's configuration for a test or the demo, kept once as Spring property names and
 * rendered two ways: as properties of an in-process application context, and as the
 * environment variables of a child process (how OpenShift hands configuration over),
 * named as Spring Boot's relaxed binding reads them
 * ({@code ferry.table-dump.target.path-style} is
 * {@code FERRY_TABLEDUMP_TARGET_PATHSTYLE}).
 * <p>
 * Not thread-safe: built, then read.
 */
public final class FerrySettings {

	private final Map<String, String> properties = new LinkedHashMap<>();

	/** A fixture or demo whose servers and buckets Ferry is configured for. */
	public interface Source {

		FerrySettings settings();

	}

	/** The job repository database ({@code spring.datasource.*}). */
	public static FerrySettings repository(PostgresDatabase database) {
		return new FerrySettings().database("spring.datasource", database);
	}

	/** Sets one property. */
	public FerrySettings set(String property, String value) {
		this.properties.put(property, value);
		return this;
	}

	/** Adds every property of other settings, replacing those of the same name. */
	public FerrySettings with(FerrySettings other) {
		this.properties.putAll(other.properties);
		return this;
	}

	/** A database: {@code <prefix>.url}, {@code .username}, {@code .password}. */
	public FerrySettings database(String prefix, PostgresDatabase database) {
		return set(prefix + ".url", database.jdbcUrl()).set(prefix + ".username", database.username())
			.set(prefix + ".password", database.password());
	}

	/**
	 * An S3 location as every job configures one: {@code <prefix>.endpoint},
	 * {@code .bucket}, {@code .path-style}, {@code .access-key-id},
	 * {@code .secret-access-key}.
	 */
	public FerrySettings s3Location(String prefix, S3Endpoint endpoint, String bucket) {
		return set(prefix + ".endpoint", endpoint.uri().toString()).set(prefix + ".bucket", bucket)
			.set(prefix + ".path-style", "true")
			.set(prefix + ".access-key-id", endpoint.accessKey())
			.set(prefix + ".secret-access-key", endpoint.secretKey());
	}

	/** The settings as Spring properties. */
	public Map<String, String> asProperties() {
		return Collections.unmodifiableMap(this.properties);
	}

	/** The settings as a child process's environment variables. */
	public Map<String, String> asEnvironment() {
		Map<String, String> environment = new LinkedHashMap<>();
		this.properties.forEach((name, value) -> environment.put(environmentName(name), value));
		return environment;
	}

	/**
	 * Spring Boot's canonical environment variable for a property: dots become
	 * underscores, dashes go, upper case.
	 */
	static String environmentName(String property) {
		return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

}
