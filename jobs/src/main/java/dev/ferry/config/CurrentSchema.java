package dev.ferry.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Migrates the job repository only when it lacks a migration this jar ships: one query of
 * Flyway's history table against the names of the migration scripts, instead of starting
 * Flyway on every command. Flyway's classes, its plugins, its scan of the migrations and
 * its validation took about a third of a second of every start-up, though the schema is
 * current on all but the first run of a new version.
 * <p>
 * The schema is current when every versioned migration of the configured locations
 * ({@code V<version>__<description>.sql}) is recorded as successful; a schema ahead of
 * the jar (an older Ferry against a newer repository) is current too, as Flyway's default
 * {@code ignoreMigrationPatterns} ({@code *:future}) treats it. Anything else, or
 * anything this check cannot read for sure (a failed migration, repeatable migrations, a
 * location that is not on the classpath, a schema or table of Flyway's set by property, a
 * database of Flyway's own), goes to {@link Flyway#migrate()}, which also validates and
 * reports. What the check gives up: Flyway's validation of an applied migration's
 * checksum on every start; it still runs with every migration.
 * <p>
 * Thread-safe; runs once, at start-up.
 */
final class CurrentSchema implements FlywayMigrationStrategy {

	private static final Log logger = LogFactory.getLog(CurrentSchema.class);

	/** Flyway's versioned migration: {@code V1_2__text.sql} is version {@code 1.2}. */
	private static final Pattern VERSIONED = Pattern.compile("V([^_].*?)__.*\\.sql");

	private static final String CLASSPATH = "classpath:";

	private final DataSource dataSource;

	private final String table;

	private final List<String> locations;

	private final boolean checkable;

	/**
	 * @param dataSource the job repository database, the one Flyway migrates
	 * @param table Flyway's history table, in the connection's default schema
	 * @param locations Flyway's locations
	 * @param checkable false when Flyway's settings point elsewhere than this check looks
	 * (its own URL, schemas, a default schema): then Flyway always runs
	 */
	CurrentSchema(DataSource dataSource, String table, List<String> locations, boolean checkable) {
		this.dataSource = dataSource;
		this.table = table;
		this.locations = List.copyOf(locations);
		this.checkable = checkable;
	}

	@Override
	public void migrate(Flyway flyway) {
		if (this.checkable && isCurrent()) {
			logger.debug("The job repository's schema is current: no migration");
			return;
		}
		flyway.migrate();
	}

	/** Whether the database has every migration the locations ship, all successful. */
	boolean isCurrent() {
		Set<String> shipped = shippedVersions();
		if (shipped.isEmpty()) {
			return false;
		}
		Set<String> applied = appliedVersions();
		return applied != null && applied.containsAll(shipped);
	}

	/**
	 * The versions of the migrations; empty when any of them is not a plain versioned
	 * one.
	 */
	private Set<String> shippedVersions() {
		ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(getClass().getClassLoader());
		Set<String> versions = new TreeSet<>();
		for (String location : this.locations) {
			if (!location.startsWith(CLASSPATH)) {
				return Set.of();
			}
			try {
				for (Resource resource : resolver.getResources(location + "/*")) {
					String name = resource.getFilename();
					if (name == null) {
						continue;
					}
					Matcher versioned = VERSIONED.matcher(name);
					if (!versioned.matches()) {
						// a repeatable migration (checksum-driven), a callback, or
						// something
						// else that only Flyway knows how to read
						return Set.of();
					}
					versions.add(versioned.group(1).replace('_', '.'));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not list the job repository's migrations in " + location, ex);
			}
		}
		return versions;
	}

	/**
	 * The versions successfully applied; null when the history table is missing or a
	 * migration failed (Flyway reports that).
	 */
	private Set<String> appliedVersions() {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
				exists.setString(1, this.table);
				try (ResultSet result = exists.executeQuery()) {
					if (!result.next() || !result.getBoolean(1)) {
						return null;
					}
				}
			}
			Set<String> versions = new HashSet<>();
			try (PreparedStatement applied = connection
				.prepareStatement("SELECT version, success FROM " + quoted(this.table) + " WHERE version IS NOT NULL");
					ResultSet result = applied.executeQuery()) {
				while (result.next()) {
					if (!result.getBoolean(2)) {
						return null;
					}
					versions.add(result.getString(1));
				}
			}
			return versions;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the job repository's schema history table " + this.table,
					ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	private static String quoted(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

}
