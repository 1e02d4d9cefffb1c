-- last-night.sql: what ran in the last 24 hours, how it ended and how long it took.
--
-- One row per job execution started in the window, newest first: status (STALE when it is
-- marked running but no process holds its run lock), duration (for a running execution: how
-- long it has been running so far), rows read/written/skipped, and the first line of the exit
-- message. A summary per job and status comes first.
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/last-night.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v hours=72 -f db/queries/last-night.sql
--
-- Times are those Spring Batch stores: the local time of the JVM that ran the job (UTC in
-- Ferry's image). The window is measured with the database session's clock, so run psql with
-- the same time zone (PGTZ=UTC) if the server's differs.

\if :{?hours}
\else
\set hours 24
\endif

\echo 'Job executions started in the last' :hours 'hours, per job and status:'
SELECT job,
	CASE WHEN stale THEN 'STALE' ELSE status END AS status,
	count(*) AS executions,
	max(duration) AS longest,
	sum(write_count) AS rows_written
FROM ferry_job_history
WHERE start_time >= localtimestamp - make_interval(hours => :hours)
GROUP BY 1, 2
ORDER BY 1, 2;

\echo 'Each execution, newest first:'
SELECT execution_id,
	job,
	parameters,
	CASE WHEN stale THEN 'STALE' ELSE status END AS status,
	start_time,
	end_time,
	coalesce(duration, date_trunc('second', localtimestamp - start_time)) AS duration,
	read_count,
	write_count,
	skip_count,
	exit_message
FROM ferry_job_history
WHERE start_time >= localtimestamp - make_interval(hours => :hours)
ORDER BY execution_id DESC;
