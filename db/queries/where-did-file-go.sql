-- where-did-file-go.sql: where did a file the ingest job saw end up, and when?
--
-- Every version of every file whose path contains :'name' (or whose SHA-256 is :'name'), newest
-- first: its source, path, size and mtime as listed, its state, the verdict and signature of
-- the scan, where it went (s3://bucket/key, or its path in quarantine), why it was rejected or
-- failed, when the notification webhook took the notification of a quarantined file, and the
-- job execution that moved it last (ferry show <execution_id>).
--
-- Usage:  psql "$FERRY_REPOSITORY_URL" -X -v name=invoice-0042.xml -f db/queries/where-did-file-go.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v name=9f86d081884c7d65... -f db/queries/where-did-file-go.sql
--         psql "$FERRY_REPOSITORY_URL" -X -v name=invoice -v source=partner-a -f db/queries/where-did-file-go.sql

\if :{?name}
\else
\echo 'Give the file: -v name=<part of its path, or its sha256>'
\quit
\endif
\if :{?source}
\else
\set source ''
\endif

SELECT f.id,
	f.source,
	f.path,
	f.size,
	f.mtime,
	f.state,
	f.verdict,
	f.signature,
	f.destination,
	f.error,
	f.sha256,
	f.listed_at,
	f.stored_at,
	f.cleaned_at,
	f.notified_at,
	f.job_execution_id AS execution_id
FROM ferry_ingest_file f
WHERE (strpos(f.path, :'name') > 0 OR f.sha256 = lower(:'name'))
	AND (:'source' = '' OR f.source = :'source')
ORDER BY f.listed_at DESC, f.id DESC;
