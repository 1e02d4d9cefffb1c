-- Objects a job skipped: s3-mirror's skip limit (ferry.s3-mirror.mirrors.<name>.skip-limit) lets a
-- run complete past an object that failed every attempt, instead of failing the job. Nothing is
-- dropped silently: each skipped object is a row here, written in the same transaction as the
-- checkpoint that moves past it (a crash rolls both back, and the object is tried again), and the
-- run ends COMPLETED with exit code COMPLETED_WITH_SKIPS. The next run of the mirror (another
-- runDate) compares the object again and copies it if it can. db/queries/skipped-objects.sql
-- lists them.
CREATE TABLE ferry_skipped_object (
	skip_id BIGSERIAL PRIMARY KEY,
	job_execution_id BIGINT NOT NULL REFERENCES batch_job_execution (job_execution_id),
	step_name VARCHAR(100) NOT NULL,
	-- the configured name the job ran for (the s3Mirror job's mirror parameter)
	configuration_name TEXT NOT NULL,
	-- the object that could not be copied, byte for byte as the source lists it
	source_bucket TEXT NOT NULL,
	source_key TEXT NOT NULL,
	-- where it should have gone: s3://bucket/key
	destination TEXT NOT NULL,
	size BIGINT NOT NULL,
	-- the last failure, as the job logged it
	reason TEXT NOT NULL,
	skipped_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX ferry_skipped_object_execution ON ferry_skipped_object (job_execution_id);
CREATE INDEX ferry_skipped_object_skipped ON ferry_skipped_object (skipped_at);
