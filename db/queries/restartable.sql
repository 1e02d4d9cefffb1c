-- restartable.sql: what can be restarted right now, and with which command.
--
-- The newest execution of every job instance that did not complete and that FAILED, was
-- STOPPED, or is stale (marked running, but no process holds its run lock: its pod was
-- killed; or ended UNKNOWN: a job repository write failed under it). These are the rows of the
-- view ferry_restartable_executions; `ferry restart --last-failed <job>` takes the newest of them
-- for a job. A stale execution is recovered (marked FAILED) by the restart first.
--
-- A scheduled run with the same identifying parameters (same runDate, same tables) resumes
-- such an execution by itself: restarting by hand is only needed to resume before the next
-- schedule, or for a runDate the schedule will not come back to.
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/restartable.sql

SELECT r.execution_id,
	r.job,
	r.parameters,
	CASE WHEN r.stale THEN 'STALE' ELSE r.status END AS status,
	r.start_time,
	r.end_time,
	r.read_count,
	r.write_count,
	left(regexp_replace(coalesce(
		(SELECT string_agg(regexp_replace(f.root_cause, '^.*; caused by ', ''), ' | ' ORDER BY f.step_name)
			FROM ferry_execution_failure f WHERE f.job_execution_id = r.execution_id),
		nullif(r.exit_message, '')), '[[:cntrl:]]+', ' ', 'g'), 160) AS cause,
	'ferry restart ' || r.execution_id AS command
FROM ferry_restartable_executions r
ORDER BY r.job, r.execution_id DESC;
