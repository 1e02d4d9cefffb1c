-- failures.sql: which executions failed, and why.
--
-- One row per failed step (or per failed job, when no step failed) of every FAILED execution
-- of the last 7 days, newest first:
--   failure     what Spring Batch reported (the outermost exception, first line)
--   root_cause  the innermost exception: Ferry's FailureRecorder keeps the whole cause chain in
--               ferry_execution_failure (Spring Batch's EXIT_MESSAGE is cut at 2500 characters
--               and usually ends inside the stack trace of the outermost exception)
--   what_now    whether a later execution of the same job instance completed it, whether it can
--               be restarted now, or whether a later execution superseded it
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/failures.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v days=30 -f db/queries/failures.sql
-- The full text of one failure: ferry show <execution_id> --full, or db/queries/step-detail.sql.

\if :{?days}
\else
\set days 7
\endif

SELECT h.execution_id,
	h.job,
	h.parameters,
	h.start_time,
	c.step,
	left(regexp_replace(split_part(c.cause, '; caused by ', 1), '[[:cntrl:]]+', ' ', 'g'), 120) AS failure,
	left(regexp_replace(regexp_replace(c.cause, '^.*; caused by ', ''), '[[:cntrl:]]+', ' ', 'g'), 200)
		AS root_cause,
	CASE
		WHEN done.execution_id IS NOT NULL THEN 'completed later in execution ' || done.execution_id
		WHEN r.execution_id IS NOT NULL THEN 'restartable: ferry restart ' || h.execution_id
		ELSE 'superseded by a later execution'
	END AS what_now
FROM ferry_job_history h
CROSS JOIN LATERAL (
	-- the failed steps, with the root cause Ferry recorded (else Spring Batch's exit message)
	SELECT s.step, coalesce(f.root_cause, e.exit_message, '') AS cause, 1 AS rank, s.step_execution_id AS id
	FROM ferry_step_history s
	JOIN batch_step_execution e ON e.step_execution_id = s.step_execution_id
	LEFT JOIN ferry_execution_failure f ON f.job_execution_id = s.execution_id AND f.step_name = s.step
	WHERE s.execution_id = h.execution_id AND s.status = 'FAILED'
	UNION ALL
	-- a failure of the job itself (before or between steps)
	SELECT '(job)', f.root_cause, 2, 0
	FROM ferry_execution_failure f
	WHERE f.job_execution_id = h.execution_id AND f.step_name = ''
	UNION ALL
	-- nothing recorded by Ferry and no failed step: the job's own exit message
	SELECT '(job)', coalesce(e.exit_message, ''), 3, 0
	FROM batch_job_execution e
	WHERE e.job_execution_id = h.execution_id
		AND NOT EXISTS (SELECT 1 FROM batch_step_execution s
			WHERE s.job_execution_id = h.execution_id AND s.status = 'FAILED')
		AND NOT EXISTS (SELECT 1 FROM ferry_execution_failure f
			WHERE f.job_execution_id = h.execution_id AND f.step_name = '')
) c
LEFT JOIN LATERAL (
	SELECT min(l.job_execution_id) AS execution_id
	FROM batch_job_execution l
	WHERE l.job_instance_id = h.instance_id AND l.job_execution_id > h.execution_id AND l.status = 'COMPLETED'
) done ON true
LEFT JOIN ferry_restartable_executions r ON r.execution_id = h.execution_id
WHERE h.status = 'FAILED'
	AND h.start_time >= localtimestamp - make_interval(days => :days)
ORDER BY h.execution_id DESC, c.rank, c.id;
