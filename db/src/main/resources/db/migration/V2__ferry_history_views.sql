-- Ferry's own objects over the Spring Batch job repository: the run-lock key, the failure root
-- causes that Spring Batch's 2500-character EXIT_MESSAGE cuts off, and the history views that
-- `ferry history` / `ferry show` print and that an operator can query with psql.

-- The advisory-lock key a launch holds while it runs a job instance. It is derived from the job
-- name and Spring Batch's JOB_KEY (the md5 of the identifying parameters), so a launcher can take
-- the lock before the instance exists. dev.ferry.common.guard.RunLockKey computes the same value.
CREATE FUNCTION ferry_run_lock_key(job_name text, job_key text) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT ('x' || substr(md5(job_name || '/' || job_key), 1, 16))::bit(64)::bigint $$;

-- Whether some session of this database holds the run lock of a job instance right now. A
-- bigint advisory lock shows in pg_locks with its high half in classid and its low half in objid.
CREATE FUNCTION ferry_run_lock_held(lock_key bigint) RETURNS boolean
	LANGUAGE sql STABLE STRICT
	AS $$
		SELECT EXISTS (
			SELECT 1 FROM pg_locks l
			WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
				AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
				AND ((l.classid::bigint << 32) | l.objid::bigint) = lock_key)
	$$;

-- The root cause of each failed step (or of the job itself, step_name = ''), recorded by
-- dev.ferry.common.failure.FailureRecorder when an execution ends FAILED.
CREATE TABLE ferry_execution_failure (
	job_execution_id BIGINT NOT NULL REFERENCES batch_job_execution (job_execution_id),
	step_name VARCHAR(100) NOT NULL,
	root_cause TEXT NOT NULL,
	recorded_at TIMESTAMP NOT NULL DEFAULT localtimestamp,
	PRIMARY KEY (job_execution_id, step_name)
);

-- One row per job execution, newest first when ordered by execution_id.
-- stale: the execution is marked running but no process holds its run lock (its pod was
-- killed); `ferry run` with the same parameters recovers and resumes it.
CREATE VIEW ferry_job_history AS
SELECT e.job_execution_id AS execution_id,
	i.job_instance_id AS instance_id,
	i.job_name AS job,
	coalesce((SELECT string_agg(p.parameter_name || '=' || coalesce(p.parameter_value, ''), ' '
				ORDER BY p.parameter_name)
			FROM batch_job_execution_params p
			WHERE p.job_execution_id = e.job_execution_id AND p.identifying = 'Y'), '') AS parameters,
	e.status,
	(e.status IN ('STARTING', 'STARTED', 'STOPPING')
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

-- One row per step execution, with the recorded root cause of a failed step.
CREATE VIEW ferry_step_history AS
SELECT s.step_execution_id,
	s.job_execution_id AS execution_id,
	s.step_name AS step,
	s.status,
	s.exit_code,
	s.read_count,
	s.write_count,
	s.filter_count,
	s.read_skip_count + s.process_skip_count + s.write_skip_count AS skip_count,
	s.commit_count,
	s.rollback_count,
	date_trunc('second', s.start_time) AS start_time,
	date_trunc('second', s.end_time) AS end_time,
	date_trunc('second', s.end_time - s.start_time) AS duration,
	left(regexp_replace(coalesce(f.root_cause,
		split_part(coalesce(s.exit_message, ''), E'\n', 1)), '[[:cntrl:]]', ' ', 'g'), 300) AS exit_message
FROM batch_step_execution s
LEFT JOIN ferry_execution_failure f ON f.job_execution_id = s.job_execution_id AND f.step_name = s.step_name;

-- The executions an operator can restart: the newest execution of each job instance that did not
-- complete, when it FAILED, was STOPPED, or is stale. `ferry restart --last-failed <job>` takes the
-- newest of these.
CREATE VIEW ferry_restartable_executions AS
SELECT h.*
FROM ferry_job_history h
WHERE h.execution_id IN (SELECT max(job_execution_id) FROM batch_job_execution GROUP BY job_instance_id)
	AND (h.status IN ('FAILED', 'STOPPED') OR h.stale);
