-- slowest.sql: which executions took longest, per job, over the last 30 days.
--
-- The 5 slowest finished executions of each job (completed, failed or stopped), with their
-- duration, rows written and throughput, beside the job's median and the number of runs in
-- the window: a run far above the median is worth a look (a table that grew, a slow store, a
-- retry storm), and a job whose median creeps up is outgrowing its schedule.
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/slowest.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v days=90 -v top=10 -f db/queries/slowest.sql

\if :{?days}
\else
\set days 30
\endif
\if :{?top}
\else
\set top 5
\endif

WITH runs AS (
	SELECT h.execution_id, h.job, h.parameters, h.status, h.start_time, h.write_count,
		e.end_time - e.start_time AS took
	FROM ferry_job_history h
	JOIN batch_job_execution e ON e.job_execution_id = h.execution_id
	WHERE e.end_time IS NOT NULL
		AND e.start_time >= localtimestamp - make_interval(days => :days)
), per_job AS (
	SELECT job, count(*) AS runs,
		make_interval(secs => percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM took))) AS median
	FROM runs
	GROUP BY job
), ranked AS (
	SELECT r.*, rank() OVER (PARTITION BY r.job ORDER BY r.took DESC, r.execution_id DESC) AS rank
	FROM runs r
)
SELECT r.job,
	r.rank,
	r.execution_id,
	r.parameters,
	r.status,
	r.start_time,
	date_trunc('second', r.took) AS duration,
	r.write_count,
	CASE WHEN r.took > interval '0' THEN round(r.write_count / extract(epoch FROM r.took)) END AS rows_per_s,
	date_trunc('second', p.median) AS job_median,
	CASE WHEN p.median > interval '0'
		THEN round((extract(epoch FROM r.took) / extract(epoch FROM p.median))::numeric, 1) END AS x_median,
	p.runs AS job_runs
FROM ranked r
JOIN per_job p ON p.job = r.job
WHERE r.rank <= :top
ORDER BY r.job, r.rank;
