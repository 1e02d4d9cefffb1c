-- skipped-objects.sql: which objects did s3-mirror skip (a mirror's skip-limit let a run complete
-- past objects that failed every attempt), when, why, and has a later run copied them since?
--
-- One row per skipped object of the last N days, newest first: the mirror (configuration_name),
-- the object (source bucket and key, byte for byte as listed), where it should have gone, its size,
-- the last failure, the execution that skipped it with that execution's exit code
-- (COMPLETED_WITH_SKIPS), and the newest later execution of the same mirror that completed without
-- skips (null: no clean run since, the object may still be missing at the destination).
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/skipped-objects.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v days=30 -v mirror=datahub -f db/queries/skipped-objects.sql

\if :{?days}
\else
\set days 7
\endif
\if :{?mirror}
\else
\set mirror ''
\endif

SELECT k.skip_id,
	k.configuration_name AS mirror,
	k.source_bucket,
	k.source_key,
	k.destination,
	pg_size_pretty(k.size) AS size,
	left(regexp_replace(k.reason, '[[:cntrl:]]', ' ', 'g'), 200) AS reason,
	k.job_execution_id AS execution_id,
	h.exit_code,
	date_trunc('second', k.skipped_at) AS skipped_at,
	(SELECT max(later.execution_id) FROM ferry_job_history later
		WHERE later.job = h.job AND later.execution_id > h.execution_id AND later.exit_code = 'COMPLETED'
			AND (' ' || later.parameters || ' ') LIKE '% mirror=' || k.configuration_name || ' %') AS clean_run_since
FROM ferry_skipped_object k
JOIN ferry_job_history h ON h.execution_id = k.job_execution_id
WHERE k.skipped_at >= now() - make_interval(days => :days)
	AND (:'mirror' = '' OR k.configuration_name = :'mirror')
ORDER BY k.skipped_at DESC, k.skip_id DESC;
