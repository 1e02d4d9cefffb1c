-- An execution that ended UNKNOWN is left behind like one whose process was killed: a write to the
-- job repository failed under it (a database restart or failover, a dropped connection), so Spring
-- Batch could not record how it ended, and refuses to restart it. Ferry's checkpoints only ever
-- advance over acknowledged work, and the run lock tells for certain that no process runs it, so
-- `ferry run` (and `ferry restart`) recover it (mark it FAILED) and resume it from its last committed
-- checkpoint, like a stale one. Here it becomes stale too, so that `ferry history --status STALE`
-- and ferry_restartable_executions show it.
--
-- Only the stale column changes; ferry_restartable_executions selects the stale rows of this view.
CREATE OR REPLACE VIEW ferry_job_history AS
SELECT e.job_execution_id AS execution_id,
	i.job_instance_id AS instance_id,
	i.job_name AS job,
	coalesce((SELECT string_agg(p.parameter_name || '=' || coalesce(p.parameter_value, ''), ' '
				ORDER BY p.parameter_name)
			FROM batch_job_execution_params p
			WHERE p.job_execution_id = e.job_execution_id AND p.identifying = 'Y'), '') AS parameters,
	e.status,
	(e.status IN ('STARTING', 'STARTED', 'STOPPING', 'UNKNOWN')
		AND NOT ferry_run_lock_held(ferry_run_lock_key(i.job_name, i.job_key))) AS stale,
	e.exit_code,
	date_trunc('second', e.start_time) AS start_time,
	date_trunc('second', e.end_time) AS end_time,
	date_trunc('second', e.end_time - e.start_time) AS duration,
	coalesce(s.read_count, 0) AS read_count,
	coalesce(s.write_count, 0) AS write_count,
	coalesce(s.skip_count, 0) AS skip_count,
	left(regexp_replace(split_part(coalesce(e.exit_message, ''), E'\n', 1), '[[:cntrl:]]', ' ', 'g'), 200)
		AS exit_message
FROM batch_job_execution e
JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
LEFT JOIN (SELECT job_execution_id,
		sum(read_count) AS read_count,
		sum(write_count) AS write_count,
		sum(read_skip_count + process_skip_count + write_skip_count) AS skip_count
	FROM batch_step_execution GROUP BY job_execution_id) s ON s.job_execution_id = e.job_execution_id;
