package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FerrySettings;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3Endpoint;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an ingest test works with: a job repository (which holds the ledger), a clamd, a
 * bucket, and local directories under one work directory ({@code staging/},
 * {@code quarantine/}, one inbox per source). Sources are added by name; each uploads
 * under the prefix {@code in/<source>}.
 */
final class IngestFixture implements FerrySettings.Source {

	final PostgresDatabase repository = EmbeddedPostgresServer.shared().newMigratedDatabase();

	final JdbcTemplate jdbc = new JdbcTemplate(this.repository.dataSource());

	final S3Endpoint endpoint;

	final S3Client s3;

	final String bucket;

	final Path work;

	final Path quarantine;

	private final FerrySettings settings;

	IngestFixture(S3Endpoint endpoint, Clamd clamd) {
		this.endpoint = endpoint;
		this.s3 = endpoint.client();
		this.bucket = endpoint.createBucket("ingest");
		try {
			Path base = Path.of(System.getProperty("ferry.testkit.work-dir", System.getProperty("java.io.tmpdir")));
			Files.createDirectories(base);
			this.work = Files.createTempDirectory(base, "ingest-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.quarantine = this.work.resolve("quarantine");
		this.settings = FerrySettings.repository(this.repository)
			.set("ferry.ingest.staging-dir", this.work.resolve("staging").toString());
		scanner(clamd);
	}

	/** Points the job at a clamd, with Ferry's scan-size limit equal to clamd's. */
	IngestFixture scanner(Clamd clamd) {
		this.settings.set("ferry.ingest.scanner.host", clamd.host())
			.set("ferry.ingest.scanner.port", Integer.toString(clamd.port()))
			.set("ferry.ingest.scanner.max-scan-size", clamd.maxBytes() + "B");
		return this;
	}

	/**
	 * Adds a local source reading {@link #inbox(String)}, with min-age 0s, no SSE, and
	 * the given settings ({@code name=value} under the source).
	 */
	IngestFixture local(String name, String... settings) {
		Path inbox = inbox(name);
		source(name, "local", inbox.toString(), settings);
		return this;
	}

	/** Adds a source of any type reading a directory. */
	IngestFixture source(String name, String type, String directory, String... settings) {
		String prefix = IngestProperties.property(name);
		this.settings.set(prefix + ".type", type)
			.set(prefix + ".directories", directory)
			.set(prefix + ".min-age", "0s")
			.s3Location(prefix + ".target", this.endpoint, this.bucket)
			.set(prefix + ".target.prefix", "in/" + name)
			.set(prefix + ".encryption.algorithm", "NONE")
			.set(prefix + ".quarantine-dir", this.quarantine.toString());
		return apply(prefix, settings);
	}

	/**
	 * Adds a source of type s3 reading a bucket and prefix, uploading like every source,
	 * and quarantining into {@code quarantineBucket} of this fixture's endpoint (under
	 * the prefix {@code quarantine}) when it is given, else into {@link #quarantine}.
	 */
	IngestFixture s3(String name, S3Endpoint source, String bucket, String prefix, @Nullable String quarantineBucket,
			String... settings) {
		String property = IngestProperties.property(name);
		this.settings.set(property + ".type", "s3")
			.s3Location(property + ".s3", source, bucket)
			.set(property + ".s3.prefix", prefix)
			.set(property + ".min-age", "0s")
			.s3Location(property + ".target", this.endpoint, this.bucket)
			.set(property + ".target.prefix", "in/" + name)
			.set(property + ".encryption.algorithm", "NONE");
		if (quarantineBucket != null) {
			this.settings.s3Location(property + ".quarantine-bucket", this.endpoint, quarantineBucket)
				.set(property + ".quarantine-bucket.prefix", "quarantine");
		}
		else {
			this.settings.set(property + ".quarantine-dir", this.quarantine.toString());
		}
		return apply(property, settings);
	}

	private IngestFixture apply(String property, String... settings) {
		for (String setting : settings) {
			int eq = setting.indexOf('=');
			this.settings.set(property + "." + setting.substring(0, eq), setting.substring(eq + 1));
		}
		return this;
	}

	/** Sets one setting of a source. */
	IngestFixture set(String source, String setting, String value) {
		this.settings.set(IngestProperties.property(source) + "." + setting, value);
		return this;
	}

	Path inbox(String source) {
		Path inbox = this.work.resolve("inbox-" + source);
		try {
			return Files.createDirectories(inbox);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public FerrySettings settings() {
		return this.settings;
	}

	/** Writes a file into a source's inbox. */
	Path write(String source, String relative, byte[] content) {
		Path file = inbox(source).resolve(relative);
		try {
			Files.createDirectories(file.getParent());
			return Files.write(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The objects under a source's prefix: key relative to {@code in/<source>/} → bytes.
	 */
	Map<String, byte[]> objects(String source) {
		String prefix = "in/" + source + "/";
		Map<String, byte[]> objects = new TreeMap<>();
		for (String key : keys(prefix)) {
			objects.put(key.substring(prefix.length()),
					this.s3.getObjectAsBytes(request -> request.bucket(this.bucket).key(key)).asByteArray());
		}
		return objects;
	}

	List<String> keys(String prefix) {
		return this.s3.listObjectsV2Paginator(request -> request.bucket(this.bucket).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	HeadObjectResponse head(String key) {
		return this.s3.headObject(request -> request.bucket(this.bucket).key(key));
	}

	/** The ledger rows of a source, oldest first. */
	List<Map<String, Object>> ledger(String source) {
		return this.jdbc.queryForList("SELECT * FROM ferry_ingest_file WHERE source = ? ORDER BY id", source);
	}

	/** The states of a source's rows: path relative to its directory → state. */
	Map<String, String> states(String source) {
		Map<String, String> states = new TreeMap<>();
		for (Map<String, Object> row : ledger(source)) {
			String directory = (String) row.get("directory");
			states.put(((String) row.get("path")).substring(directory.length() + 1), (String) row.get("state"));
		}
		return states;
	}

	/** What {@code db/queries/where-did-file-go.sql} prints for a name, through psql. */
	String whereDidFileGo(String name) throws IOException, InterruptedException {
		Path query = Path.of("..", "db", "queries", "where-did-file-go.sql");
		ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-q", "-h", this.repository.host(), "-p",
				Integer.toString(this.repository.port()), "-U", this.repository.username(), "-d",
				this.repository.name(), "-P", "pager=off", "-v", "name=" + name, "-f", query.toString())
			.redirectErrorStream(true);
		builder.environment().put("PGPASSWORD", this.repository.password());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("psql failed: " + output);
		}
		return output;
	}

	/** The root causes of the newest execution whose parameters contain a text. */
	String failure(String parameter) {
		return this.jdbc.queryForObject("""
				SELECT string_agg(root_cause, ' | ') FROM ferry_execution_failure WHERE job_execution_id =
				(SELECT max(execution_id) FROM ferry_job_history WHERE parameters LIKE ?)""", String.class,
				"%" + parameter + "%");
	}

}
