-- The ingest job's ledger: one row per version of a source file (source, path, size, mtime), its
-- work queue and its audit trail. A file that changes after it was ingested (another size or
-- mtime) is a new row; the same version is never ingested twice.
--
-- state moves forward only (the trigger below refuses anything else):
--   listed -> downloaded -> scanned -> uploaded | quarantined -> source_cleaned
--   listed -> rejected (a name Ferry refuses: the reason is in error)
--   listed | downloaded | scanned -> failed (truncated transfer, changed or vanished source)
-- A row's transition commits with the chunk of the step that made it, so a run killed at any point
-- resumes each file from its last committed state.
CREATE TABLE ferry_ingest_file (
	id BIGSERIAL PRIMARY KEY,
	-- the configured source's name (ferry.ingest.sources.<source>)
	source TEXT NOT NULL,
	-- the configured directory the file was listed under, and its full path as listed
	-- (control characters of a rejected name escaped as \xNN: PostgreSQL text holds no NUL)
	directory TEXT NOT NULL,
	path TEXT NOT NULL,
	size BIGINT NOT NULL,
	mtime TIMESTAMPTZ NOT NULL,
	-- of the bytes downloaded (null until then)
	sha256 TEXT,
	state TEXT NOT NULL CHECK (state IN ('listed', 'downloaded', 'scanned', 'uploaded', 'quarantined',
		'source_cleaned', 'rejected', 'failed')),
	-- clean, infected or unscannable, once scanned; signature: what clamd named (or why unscannable)
	verdict TEXT CHECK (verdict IN ('clean', 'infected', 'unscannable')),
	signature TEXT,
	scanner_version TEXT,
	-- s3://bucket/key of an uploaded file, or the path of a quarantined one
	destination TEXT,
	-- why a file was rejected or failed; a note on a later problem (a post-action not done)
	error TEXT,
	listed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	scanned_at TIMESTAMPTZ,
	stored_at TIMESTAMPTZ,
	cleaned_at TIMESTAMPTZ,
	updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	-- the job execution that made the last transition
	job_execution_id BIGINT,
	CONSTRAINT ferry_ingest_file_version UNIQUE (source, path, size, mtime)
);

-- the work queue: a source's unfinished rows in order
CREATE INDEX ferry_ingest_file_queue ON ferry_ingest_file (source, id)
	WHERE state IN ('listed', 'downloaded', 'scanned', 'uploaded', 'quarantined');
CREATE INDEX ferry_ingest_file_sha256 ON ferry_ingest_file (sha256);

CREATE FUNCTION ferry_ingest_file_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.state <> OLD.state AND NOT (
		(OLD.state = 'listed' AND NEW.state IN ('downloaded', 'rejected', 'failed'))
		OR (OLD.state = 'downloaded' AND NEW.state IN ('scanned', 'failed'))
		OR (OLD.state = 'scanned' AND NEW.state IN ('uploaded', 'quarantined', 'failed'))
		OR (OLD.state IN ('uploaded', 'quarantined') AND NEW.state = 'source_cleaned')) THEN
		RAISE EXCEPTION 'ferry_ingest_file %: state % cannot become % (states only move forward)',
			OLD.id, OLD.state, NEW.state;
	END IF;
	IF NEW.source <> OLD.source OR NEW.path <> OLD.path OR NEW.size <> OLD.size OR NEW.mtime <> OLD.mtime
		OR NEW.sha256 IS DISTINCT FROM coalesce(OLD.sha256, NEW.sha256) THEN
		RAISE EXCEPTION 'ferry_ingest_file %: a file''s identity and checksum never change', OLD.id;
	END IF;
	NEW.updated_at := now();
	RETURN NEW;
END $$;

CREATE TRIGGER ferry_ingest_file_forward BEFORE UPDATE ON ferry_ingest_file
	FOR EACH ROW EXECUTE FUNCTION ferry_ingest_file_forward();
