package dev.ferry.routes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.ferry.history.PsqlTable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads and edits {@code ferry_route} in the job repository database (Flyway migration
 * {@code V4__ferry_routes.sql}). The table's CHECK constraints are the last word;
 * {@link Route#of} refuses the same things earlier with a friendlier message.
 * <p>
 * Thread-safe; each call is one statement in the caller's transaction, if any.
 */
public class RouteTable {

	private static final String COLUMNS = "source_bucket, source_prefix, pipeline_name, transfer_type,"
			+ " destination_endpoint, destination_bucket, destination_prefix, directory, recipient, decrypt";

	private final JdbcTemplate jdbcTemplate;

	public RouteTable(JdbcTemplate jdbcTemplate) {
		this.jdbcTemplate = jdbcTemplate;
	}

	/** The routes whose source is a bucket, by prefix then pipeline name. */
	public List<Route> ofBucket(String sourceBucket) {
		return this.jdbcTemplate.query(
				"SELECT " + COLUMNS + " FROM ferry_route WHERE source_bucket = ? ORDER BY source_prefix, pipeline_name",
				RouteTable::route, sourceBucket);
	}

	/** Every route, as psql prints {@code SELECT ... FROM ferry_route}. */
	public PsqlTable listing() {
		return this.jdbcTemplate.query(
				"SELECT " + COLUMNS + " FROM ferry_route ORDER BY source_bucket, source_prefix, pipeline_name",
				PsqlTable::of);
	}

	/**
	 * Adds a route.
	 * @throws IllegalArgumentException when a route of the same bucket, prefix and
	 * pipeline name exists
	 */
	public void add(Route route) {
		try {
			this.jdbcTemplate.update("INSERT INTO ferry_route (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					route.sourceBucket(), route.sourcePrefix(), route.pipelineName(), route.transferType().name(),
					route.destinationEndpoint(), route.destinationBucket(), route.destinationPrefix(),
					route.directory(), route.recipient(), route.decrypt());
		}
		catch (DuplicateKeyException ex) {
			throw new IllegalArgumentException(
					route.describe() + " exists already; remove it first ('ferry routes remove') to change it", ex);
		}
	}

	/**
	 * Removes a route; the record of its transfers stays.
	 * @return whether there was one
	 */
	public boolean remove(String sourceBucket, String sourcePrefix, String pipelineName) {
		return this.jdbcTemplate.update(
				"DELETE FROM ferry_route WHERE source_bucket = ? AND source_prefix = ? AND pipeline_name = ?",
				sourceBucket, sourcePrefix, pipelineName) > 0;
	}

	private static Route route(ResultSet rs, int row) throws SQLException {
		return new Route(rs.getString("source_bucket"), rs.getString("source_prefix"), rs.getString("pipeline_name"),
				Route.TransferType.valueOf(rs.getString("transfer_type")), rs.getString("destination_endpoint"),
				rs.getString("destination_bucket"), rs.getString("destination_prefix"), rs.getString("directory"),
				rs.getString("recipient"), rs.getBoolean("decrypt"));
	}

}
