-- route-transfers.sql: which pipeline_success.flag objects were transferred by routed egress
-- (the s3Egress job), when, and where to.
--
-- One row per flag and route of the last N days, newest first: the route (source bucket and
-- prefix, pipeline name, recipient), the flag (key, ETag, LastModified: the same key written again
-- later is a new row), where its folder went (s3://bucket/prefix at the endpoint, or the directory),
-- the objects and bytes sent, the execution that sent it, and its state:
--   TRANSFERRED  every object and the flag are at the destination (recorded in the same
--                transaction as the last object's checkpoint)
--   STARTED      under way, or left half done by a failed run that its next run resumes; with
--                the execution's status beside it
-- A route removed since keeps its rows (recipient then empty).
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -f db/queries/route-transfers.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v days=30 -f db/queries/route-transfers.sql

\if :{?days}
\else
\set days 7
\endif

SELECT t.transfer_id,
	t.source_bucket,
	t.source_prefix,
	t.pipeline_name,
	r.recipient,
	t.flag_key,
	t.flag_etag,
	t.flag_last_modified,
	t.destination,
	t.objects,
	pg_size_pretty(t.bytes) AS size,
	t.status,
	t.job_execution_id AS execution_id,
	h.status AS execution_status,
	date_trunc('second', t.started_at) AS started_at,
	date_trunc('second', t.finished_at) AS finished_at,
	date_trunc('second', t.finished_at - t.started_at) AS duration
FROM ferry_route_transfer t
LEFT JOIN ferry_route r ON r.source_bucket = t.source_bucket AND r.source_prefix = t.source_prefix
	AND r.pipeline_name = t.pipeline_name
LEFT JOIN ferry_job_history h ON h.execution_id = t.job_execution_id
WHERE t.started_at >= now() - make_interval(days => :days)
ORDER BY t.started_at DESC, t.transfer_id DESC;
