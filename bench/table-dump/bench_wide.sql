-- public.bench_wide: one row per id 1..:rows with a value of every type whose formatting
-- costs something in CSV. Every value derives from the id, so two loads are identical.
-- Run with: psql -v rows=N -f bench_wide.sql
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS public.bench_wide;
CREATE TABLE public.bench_wide (
	id bigint NOT NULL,
	label text,          -- commas, double quotes, newlines, Unicode; NULL and '' both occur
	amount numeric(18, 4),
	ratio double precision,
	created_at timestamptz,
	day date,
	ref uuid,
	doc jsonb,
	blob bytea,
	ints integer[],
	flag boolean
);
INSERT INTO public.bench_wide
SELECT i,
	CASE
		WHEN i % 13 = 0 THEN NULL
		WHEN i % 17 = 0 THEN ''
		WHEN i % 7 = 0 THEN 'line one of ' || i || E'\nline two, with "quotes"'
		WHEN i % 5 = 0 THEN 'café ' || i || ' ✓ naïve, "straße"'
		ELSE 'customer ' || i || ', "' || md5(i::text) || '"'
	END,
	CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 1000000007)::numeric / 10000 END,
	i / 7.0::double precision + 0.1,
	timestamptz '2020-01-01 00:00:00+00' + i * interval '37 seconds' + (i % 1000) * interval '1 millisecond',
	date '2000-01-01' + (i % 10000)::int,
	md5('ref' || i)::uuid,
	jsonb_build_object('id', i, 'name', 'n' || i, 'tags', jsonb_build_array('a', 'b,c', 'd"e'),
		'score', (i % 100) / 3.0, 'active', i % 2 = 0),
	decode(md5(i::text) || md5((i + 1)::text), 'hex'),
	ARRAY[(i % 10)::int, (i % 100)::int, (i % 1000)::int, i::int],
	CASE WHEN i % 19 = 0 THEN NULL ELSE i % 3 = 0 END
FROM generate_series(1::bigint, :rows::bigint) AS i;
ALTER TABLE public.bench_wide ADD PRIMARY KEY (id);
VACUUM (FREEZE, ANALYZE) public.bench_wide;
