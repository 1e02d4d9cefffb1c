package dev.ferry.mirror;

import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The record of routed egress in {@code ferry_route_transfer}: one row per flag and
 * route, {@code STARTED} when the transfer is taken up and {@code TRANSFERRED} once its
 * last object is written. Both writes run in the step's chunk transaction (the job
 * repository's database), so the row commits with the checkpoint it describes: a transfer
 * is never recorded done while objects of it are missing, and a crash rolls both back
 * together.
 * <p>
 * Thread-safe; each call is one statement in the caller's transaction.
 */
final class TransferLedger {

	private static final String FLAG_KEY = "source_bucket = ? AND source_prefix = ? AND pipeline_name = ?"
			+ " AND flag_key = ? AND flag_etag = ? AND flag_last_modified = ?";

	private final JdbcTemplate jdbcTemplate;

	TransferLedger(JdbcTemplate jdbcTemplate) {
		this.jdbcTemplate = jdbcTemplate;
	}

	/** The transfers of a list that are recorded as done. */
	Set<RoutedFlag> transferred(List<RoutedFlag> transfers) {
		Set<RoutedFlag> done = new HashSet<>();
		for (RoutedFlag transfer : transfers) {
			Integer rows = this.jdbcTemplate.queryForObject(
					"SELECT count(*) FROM ferry_route_transfer WHERE status = 'TRANSFERRED' AND " + FLAG_KEY,
					Integer.class, key(transfer));
			if (rows != null && rows > 0) {
				done.add(transfer);
			}
		}
		return done;
	}

	/**
	 * Takes a transfer up for an execution: a new row, or a row that an earlier execution
	 * left STARTED (it resumes, or starts over), never one that is done.
	 * @return false when the transfer is recorded as done already
	 */
	boolean claim(RoutedFlag transfer, String destination, long jobExecutionId) {
		Object[] key = key(transfer);
		return this.jdbcTemplate.update("""
				INSERT INTO ferry_route_transfer (source_bucket, source_prefix, pipeline_name, flag_key, flag_etag,
					flag_last_modified, destination, job_execution_id, status)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'STARTED')
				ON CONFLICT ON CONSTRAINT ferry_route_transfer_flag DO UPDATE
				SET destination = EXCLUDED.destination, job_execution_id = EXCLUDED.job_execution_id
				WHERE ferry_route_transfer.status = 'STARTED'""", key[0], key[1], key[2], key[3], key[4], key[5],
				destination, jobExecutionId) > 0;
	}

	/**
	 * Records a transfer as done.
	 * @throws IllegalStateException when this execution does not hold it (another
	 * execution took it over)
	 */
	void complete(RoutedFlag transfer, long jobExecutionId, long objects, long bytes) {
		Object[] key = key(transfer);
		int rows = this.jdbcTemplate.update(
				"UPDATE ferry_route_transfer SET status = 'TRANSFERRED', finished_at = now(),"
						+ " objects = ?, bytes = ? WHERE status = 'STARTED' AND job_execution_id = ? AND " + FLAG_KEY,
				objects, bytes, jobExecutionId, key[0], key[1], key[2], key[3], key[4], key[5]);
		if (rows != 1) {
			throw new IllegalStateException("Could not record " + transfer.describe() + " as transferred:"
					+ " ferry_route_transfer has no STARTED row of execution " + jobExecutionId
					+ " for it (another execution of s3Egress took it over?); its objects are written, and the"
					+ " next run sends them again");
		}
	}

	private static Object[] key(RoutedFlag transfer) {
		return new Object[] { transfer.route().sourceBucket(), transfer.route().sourcePrefix(),
				transfer.route().pipelineName(), transfer.flag().key(), transfer.flag().eTag(),
				transfer.flag().lastModified().atOffset(ZoneOffset.UTC) };
	}

}
