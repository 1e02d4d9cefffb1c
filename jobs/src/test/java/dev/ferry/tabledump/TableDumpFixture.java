package dev.ferry.tabledump;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FerrySettings;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3Endpoint;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a table-dump test works with: a job repository, a source database, a bucket on an
 * S3 endpoint, and readers for what the job wrote.
 */
final class TableDumpFixture implements FerrySettings.Source {

	final PostgresDatabase repository = EmbeddedPostgresServer.shared().newMigratedDatabase();

	final PostgresDatabase source = EmbeddedPostgresServer.shared().newDatabase();

	final JdbcTemplate sourceJdbc = new JdbcTemplate(this.source.dataSource());

	final JdbcTemplate repositoryJdbc = new JdbcTemplate(this.repository.dataSource());

	final S3Endpoint endpoint;

	final String bucket;

	final S3Client s3;

	private final FerrySettings settings;

	TableDumpFixture(S3Endpoint endpoint) {
		this.endpoint = endpoint;
		this.bucket = endpoint.createBucket("dump");
		this.s3 = endpoint.client();
		this.settings = FerrySettings.repository(this.repository)
			.database("ferry.table-dump.source", this.source)
			.s3Location("ferry.table-dump.target", endpoint, this.bucket)
			.set("ferry.table-dump.target.prefix", "exports")
			.set("ferry.table-dump.encryption.algorithm", "NONE")
			.set("ferry.table-dump.part-size", "5MB");
	}

	/**
	 * Ferry's settings for this fixture: repository, source, target under
	 * {@code exports/}, no SSE (S3Proxy has none), 5 MB parts.
	 */
	@Override
	public FerrySettings settings() {
		return this.settings;
	}

	/** Adds or replaces a setting, e.g. the encryption for a store that has it. */
	TableDumpFixture with(String property, String value) {
		this.settings.set(property, value);
		return this;
	}

	/**
	 * Two tables in {@code public}: one keyed by a bigint and big enough for a multipart
	 * object of several parts, and a small one that is a single PUT.
	 */
	void createMultipartAndSinglePutTables(String big, String small) {
		this.sourceJdbc.execute("""
				CREATE TABLE public.%1$s (id bigint PRIMARY KEY, payload text);
				INSERT INTO public.%1$s SELECT g, md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text)
					FROM generate_series(1, 150000) g;
				CREATE TABLE public.%2$s (code text PRIMARY KEY);
				INSERT INTO public.%2$s VALUES ('a'), ('b');
				""".formatted(big, small));
	}

	/** The manifests in a run date's folder: one per job instance that dumped there. */
	List<String> manifests(String runDate) {
		return keys().stream().filter(key -> key.matches("exports/" + runDate + "/manifest-[0-9]+\\.json")).toList();
	}

	static String key(String runDate, String table) {
		return "exports/" + runDate + "/" + table + ".csv.gz";
	}

	byte[] object(String key) {
		return this.s3.getObjectAsBytes(request -> request.bucket(this.bucket).key(key)).asByteArray();
	}

	/** The object gunzipped: every member, concatenated. */
	byte[] csv(String key) {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object(key)))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<String> keys() {
		return this.s3.listObjectsV2Paginator(request -> request.bucket(this.bucket))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	List<String> openUploads() {
		return this.s3.listMultipartUploads(request -> request.bucket(this.bucket))
			.uploads()
			.stream()
			.map(MultipartUpload::key)
			.toList();
	}

	/**
	 * What PostgreSQL's own COPY writes for a query, with the output settings table-dump
	 * uses: the reference a dump must equal byte for byte.
	 */
	byte[] copyOut(String query) {
		try (java.sql.Connection connection = this.source.dataSource().getConnection()) {
			connection.createStatement()
				.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
						+ " SET extra_float_digits = 1; SET bytea_output = 'hex'");
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
			connection.unwrap(org.postgresql.PGConnection.class)
				.getCopyAPI()
				.copyOut("COPY (" + query + ") TO STDOUT (FORMAT csv, HEADER)", out);
			return out.toByteArray();
		}
		catch (java.sql.SQLException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Loads CSV with a header into a table, as a user of the dump would. */
	long copyIn(String table, byte[] csv) {
		try (java.sql.Connection connection = this.source.dataSource().getConnection()) {
			return connection.unwrap(org.postgresql.PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY " + table + " FROM STDIN (FORMAT csv, HEADER)", new ByteArrayInputStream(csv));
		}
		catch (java.sql.SQLException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The rows each execution of a table's step wrote in the run of one date, the oldest
	 * execution first.
	 */
	List<Long> writeCounts(String table, String runDate) {
		return this.repositoryJdbc.queryForList("""
				SELECT write_count FROM ferry_step_history WHERE step = ?
				AND execution_id IN (SELECT execution_id FROM ferry_job_history WHERE parameters LIKE ?)
				ORDER BY step_execution_id""", Long.class, "dumpTable:" + table, "%runDate=" + runDate + "%");
	}

	/** Terminates the source sessions of table-dump, as a failover or a DBA would. */
	int killDumpSessions() {
		return this.sourceJdbc.queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
				+ " WHERE application_name = 'ferry table-dump' AND state <> 'idle'", Integer.class);
	}

	/** Parts of the open multipart uploads of the bucket, 0 when none is open. */
	int uploadedParts() {
		return uploadedParts("");
	}

	/** Parts of the open multipart uploads of keys that start with a prefix. */
	int uploadedParts(String keyPrefix) {
		return this.s3.listMultipartUploads(request -> request.bucket(this.bucket))
			.uploads()
			.stream()
			.filter(upload -> upload.key().startsWith(keyPrefix))
			.mapToInt(upload -> this.s3
				.listParts(request -> request.bucket(this.bucket).key(upload.key()).uploadId(upload.uploadId()))
				.parts()
				.size())
			.sum();
	}

	/** An ordered md5 over every row of a table: equal for equal contents. */
	String contentHash(String table, String orderBy) {
		return this.sourceJdbc.queryForObject(
				"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY " + orderBy + "), '')) FROM " + table + " t",
				String.class);
	}

}
