package dev.ferry.mirror;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The record of objects a run skipped, in {@code ferry_skipped_object} (migration V7):
 * one row per object that failed every attempt while the mirror's {@code skip-limit}
 * still allowed a skip. The insert runs in the step's chunk transaction (the job
 * repository's database), so the row commits with the checkpoint that moves past the
 * object: a skip is never lost, and a crash rolls both back, so the object is tried again
 * rather than recorded twice.
 * <p>
 * Thread-safe; each call is one statement in the caller's transaction.
 */
final class SkippedObjects {

	private final JdbcTemplate jdbcTemplate;

	SkippedObjects(JdbcTemplate jdbcTemplate) {
		this.jdbcTemplate = jdbcTemplate;
	}

	/**
	 * Records one skipped object.
	 * @param where the execution and step that skipped it, and the configured name
	 * @param sourceBucket the bucket it was read from
	 * @param sourceKey its key there, as listed
	 * @param destination where it should have gone, {@code s3://bucket/key}
	 * @param size its size as listed
	 * @param reason the last failure
	 */
	void record(Where where, String sourceBucket, String sourceKey, String destination, long size, String reason) {
		this.jdbcTemplate.update("""
				INSERT INTO ferry_skipped_object (job_execution_id, step_name, configuration_name, source_bucket,
					source_key, destination, size, reason)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", where.jobExecutionId(), where.stepName(), where.name(),
				sourceBucket, sourceKey, destination, size, reason);
	}

	/**
	 * @param jobExecutionId the execution that skips
	 * @param stepName its step
	 * @param name the configured name it runs for (the mirror)
	 */
	record Where(long jobExecutionId, String stepName, String name) {
	}

}
