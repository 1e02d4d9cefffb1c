-- stale.sql: which executions are marked running (or UNKNOWN), but no process runs them any more.
--
-- A launch holds a PostgreSQL advisory lock on its job instance for as long as it runs
-- (function ferry_run_lock_key); a killed pod's session ends and its lock goes with it. An
-- execution whose status is STARTING, STARTED or STOPPING while nobody holds that lock
-- (ferry_run_lock_held) is therefore stale for certain, whatever its age: it will never finish
-- by itself. So is one that ended UNKNOWN (a write to the job repository failed under it, as in a
-- database restart), which Spring Batch alone would never restart. Shown with how far it got (its
-- newest step) and when it last saved progress.
--
-- What to do: nothing, if the schedule runs the same parameters again (`ferry run` recovers
-- and resumes it); else `ferry restart <execution_id>` resumes it now, or `ferry recover
-- <execution_id>` only marks it FAILED.
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/stale.sql
-- Connect to the job repository database itself: advisory locks are per database.

SELECT h.execution_id,
	h.job,
	h.parameters,
	h.status,
	h.start_time,
	date_trunc('second', e.last_updated) AS last_progress,
	date_trunc('second', localtimestamp - e.last_updated) AS silent_for,
	s.step AS last_step,
	s.read_count,
	s.write_count,
	'ferry restart ' || h.execution_id AS command
FROM ferry_job_history h
JOIN batch_job_execution e ON e.job_execution_id = h.execution_id
LEFT JOIN LATERAL (
	SELECT st.step, st.read_count, st.write_count
	FROM ferry_step_history st
	WHERE st.execution_id = h.execution_id
	ORDER BY st.step_execution_id DESC
	LIMIT 1
) s ON true
WHERE h.stale
ORDER BY h.execution_id DESC;

\echo 'Executions marked running whose process is alive (holds the run lock):'
SELECT execution_id, job, parameters, status, start_time,
	date_trunc('second', localtimestamp - start_time) AS running_for,
	read_count, write_count
FROM ferry_job_history
WHERE status IN ('STARTING', 'STARTED', 'STOPPING') AND NOT stale
ORDER BY execution_id DESC;
