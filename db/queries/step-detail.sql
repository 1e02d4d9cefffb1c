-- step-detail.sql: the steps of one execution, with counts, timings and the root cause of a
-- failure: what `ferry show <id>` prints, for an operator who only has psql.
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -v id=42 -f db/queries/step-detail.sql
--   or, inside psql:  \set id 42
--                     \i db/queries/step-detail.sql
--
-- A table-dump or mirror execution has one step per partition (one per table, one per key
-- range): the rows show which partitions finished, and a restart reruns only the others.

\if :{?id}
\else
\echo 'Which execution? psql -v id=<execution_id> -f db/queries/step-detail.sql (ferry history lists them)'
\quit
\endif

\echo 'Execution' :id
SELECT execution_id, instance_id, job, parameters,
	CASE WHEN stale THEN 'STALE' ELSE status END AS status,
	exit_code, start_time, end_time, duration, read_count, write_count, skip_count
FROM ferry_job_history
WHERE execution_id = :id;

\echo 'All its parameters (identifying or not):'
SELECT parameter_name, parameter_type, parameter_value, identifying
FROM batch_job_execution_params
WHERE job_execution_id = :id
ORDER BY parameter_name;

\echo 'Steps:'
SELECT step_execution_id, step, status, exit_code,
	read_count, write_count, filter_count, skip_count, commit_count, rollback_count,
	start_time, end_time, duration,
	CASE WHEN duration > interval '0' THEN round(write_count / extract(epoch FROM duration)) END AS rows_per_s,
	exit_message
FROM ferry_step_history
WHERE execution_id = :id
ORDER BY step_execution_id;

\echo 'Root causes recorded by Ferry (step '''' is the job itself):'
SELECT step_name, recorded_at, root_cause
FROM ferry_execution_failure
WHERE job_execution_id = :id
ORDER BY step_name;

\echo 'The other executions of the same job instance (a restart continues the newest):'
SELECT o.execution_id, o.status, o.start_time, o.end_time, o.duration, o.write_count
FROM ferry_job_history o
WHERE o.instance_id = (SELECT instance_id FROM ferry_job_history WHERE execution_id = :id)
ORDER BY o.execution_id;
