-- Routed egress (seed 001): the routes that say where a prefix of a source bucket goes once a
-- pipeline_success.flag appears in it, and the record of every flag transferred. The s3Egress job
-- reads both (dev.ferry.mirror.S3EgressConfiguration); `ferry routes list|add|remove` edits the
-- routes, and so may plain SQL (README, "Routed egress").

-- One row per route: seed 001's DynamoDB item. Its partition key (source_prefix) and sort key
-- (pipeline_name), with the bucket they belong to, are the primary key; a prefix sent both to S3
-- and to a directory has two pipeline names, by the seed's convention 'name' and 'name#sft'.
CREATE TABLE ferry_route (
	source_bucket TEXT NOT NULL,
	-- a key prefix of the source bucket: empty, or ending in '/' (so 'a/' never matches 'ab/')
	source_prefix TEXT NOT NULL,
	pipeline_name TEXT NOT NULL,
	transfer_type TEXT NOT NULL,
	-- S3: the name of a configured target endpoint (ferry.s3-egress.targets.<name>); NULL: the
	-- destination bucket is on the source's own endpoint, reached with the source's credentials
	destination_endpoint TEXT,
	destination_bucket TEXT,
	-- S3: the key prefix in the destination bucket: empty, or ending in '/'
	destination_prefix TEXT NOT NULL DEFAULT '',
	-- DIRECTORY: a directory relative to ferry.s3-egress.directory-root (the volume the SFT
	-- sidecar drains): no leading '/', no '..' segment
	directory TEXT,
	-- the team that receives the files (seed 001's recipient_name), for people and queries
	recipient TEXT,
	-- seed 001's decrypt: kept for the record, not acted on (Ferry copies bytes as they are)
	decrypt BOOLEAN NOT NULL DEFAULT false,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (source_bucket, source_prefix, pipeline_name),
	CONSTRAINT ferry_route_transfer_type CHECK (transfer_type IN ('S3', 'DIRECTORY')),
	CONSTRAINT ferry_route_source_bucket CHECK (source_bucket <> ''),
	CONSTRAINT ferry_route_pipeline_name CHECK (pipeline_name <> ''),
	CONSTRAINT ferry_route_source_prefix CHECK (source_prefix = '' OR (source_prefix LIKE '%/'
		AND source_prefix NOT LIKE '/%')),
	CONSTRAINT ferry_route_destination_prefix CHECK (destination_prefix = '' OR (destination_prefix LIKE '%/'
		AND destination_prefix NOT LIKE '/%')),
	-- S3 needs a destination bucket, and no directory
	CONSTRAINT ferry_route_s3_destination CHECK (transfer_type <> 'S3'
		OR (destination_bucket IS NOT NULL AND destination_bucket <> '' AND directory IS NULL)),
	-- DIRECTORY needs a relative directory that stays under the root, and nothing of S3
	CONSTRAINT ferry_route_directory_destination CHECK (transfer_type <> 'DIRECTORY'
		OR (directory IS NOT NULL AND directory <> '' AND directory NOT LIKE '/%'
			AND directory !~ '(^|/)\.\.(/|$)' AND destination_bucket IS NULL AND destination_endpoint IS NULL
			AND destination_prefix = ''))
);

-- One row per flag and route that the s3Egress job took up: STARTED when its first object is about
-- to go, TRANSFERRED in the same transaction as the checkpoint of its last object. A flag is the
-- object's key with its ETag and LastModified: the same flag written again later is a new row
-- (and a new transfer); the unique key makes a second transfer of the same flag impossible.
-- Route columns are copied, not referenced: removing a route keeps the history of its transfers.
CREATE TABLE ferry_route_transfer (
	transfer_id BIGSERIAL PRIMARY KEY,
	source_bucket TEXT NOT NULL,
	source_prefix TEXT NOT NULL,
	pipeline_name TEXT NOT NULL,
	flag_key TEXT NOT NULL,
	flag_etag TEXT NOT NULL,
	flag_last_modified TIMESTAMPTZ NOT NULL,
	-- where the objects went: s3://bucket/prefix (with the endpoint's name when not the source's),
	-- or the directory under the root
	destination TEXT NOT NULL,
	job_execution_id BIGINT NOT NULL REFERENCES batch_job_execution (job_execution_id),
	status TEXT NOT NULL,
	objects BIGINT NOT NULL DEFAULT 0,
	bytes BIGINT NOT NULL DEFAULT 0,
	started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	finished_at TIMESTAMPTZ,
	CONSTRAINT ferry_route_transfer_status CHECK (status IN ('STARTED', 'TRANSFERRED')),
	CONSTRAINT ferry_route_transfer_flag UNIQUE (source_bucket, source_prefix, pipeline_name, flag_key, flag_etag,
		flag_last_modified)
);

CREATE INDEX ferry_route_transfer_started ON ferry_route_transfer (started_at);
