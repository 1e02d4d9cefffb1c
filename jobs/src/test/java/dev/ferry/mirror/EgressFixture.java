package dev.ferry.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FerrySettings;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3Endpoint;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a routed-egress test works with: a job repository (which holds the routes), egress
 * sources by name, each a bucket of its own on the source endpoint, the target endpoint
 * configured as {@code ferry.s3-egress.targets.ceph}, and a directory root for DIRECTORY
 * routes. No SSE (S3Proxy has none), 5 MB parts and threshold.
 */
final class EgressFixture implements FerrySettings.Source {

	static final String TARGET = "ceph";

	final PostgresDatabase repository = EmbeddedPostgresServer.shared().newMigratedDatabase();

	final JdbcTemplate repositoryJdbc = new JdbcTemplate(this.repository.dataSource());

	final S3Endpoint sourceEndpoint;

	final S3Endpoint targetEndpoint;

	final S3Client source;

	final S3Client target;

	final Path root;

	private final Map<String, String> buckets = new TreeMap<>();

	private final FerrySettings settings;

	EgressFixture(S3Endpoint sourceEndpoint, S3Endpoint targetEndpoint) {
		this.sourceEndpoint = sourceEndpoint;
		this.targetEndpoint = targetEndpoint;
		this.source = sourceEndpoint.client();
		this.target = targetEndpoint.client();
		try {
			this.root = Files.createTempDirectory("ferry-egress-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String target = "ferry.s3-egress.targets." + TARGET;
		this.settings = FerrySettings.repository(this.repository)
			.set(target + ".endpoint", targetEndpoint.uri().toString())
			.set(target + ".path-style", "true")
			.set(target + ".access-key-id", targetEndpoint.accessKey())
			.set(target + ".secret-access-key", targetEndpoint.secretKey())
			.set(target + ".encryption.algorithm", "NONE")
			.set("ferry.s3-egress.encryption.algorithm", "NONE")
			.set("ferry.s3-egress.directory-root", this.root.toString())
			.set("ferry.s3-egress.part-size", "5MB")
			.set("ferry.s3-egress.multipart-threshold", "5MB");
	}

	/**
	 * Adds a source with a bucket of its own, flags looked for under its whole bucket.
	 */
	EgressFixture source(String name, String... settings) {
		String bucket = this.sourceEndpoint.createBucket("eg-" + name);
		this.buckets.put(name, bucket);
		this.settings.s3Location("ferry.s3-egress.sources." + name, this.sourceEndpoint, bucket);
		for (String setting : settings) {
			int eq = setting.indexOf('=');
			this.settings.set(setting.substring(0, eq), setting.substring(eq + 1));
		}
		return this;
	}

	@Override
	public FerrySettings settings() {
		return this.settings;
	}

	String bucket(String source) {
		return this.buckets.get(source);
	}

	void put(String source, String key, byte[] content) {
		MirrorFixture.put(this.source, bucket(source), key, content, b -> b);
	}

	void flag(String source, String folder) {
		put(source, folder + "pipeline_success.flag", new byte[0]);
	}

	/** The objects under a prefix of a source bucket, key relative to it, to bytes. */
	Map<String, byte[]> sourceObjects(String source, String prefix) {
		return MirrorFixture.objects(this.source, bucket(source), prefix);
	}

	/** The objects under a prefix of a bucket on the target endpoint. */
	Map<String, byte[]> targetObjects(String bucket, String prefix) {
		return MirrorFixture.objects(this.target, bucket, prefix);
	}

	/** The files under a directory of the root, relative path to bytes, dot files too. */
	Map<String, byte[]> files(String directory) {
		Map<String, byte[]> files = new TreeMap<>();
		Path base = this.root.resolve(directory);
		if (!Files.isDirectory(base)) {
			return files;
		}
		try (Stream<Path> walk = Files.walk(base)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				files.put(base.relativize(file).toString(), Files.readAllBytes(file));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	/** {@code status:flag_key:objects} of the transfers of a pipeline, oldest first. */
	java.util.List<String> transfers(String pipeline) {
		return this.repositoryJdbc.queryForList(
				"SELECT status || ':' || flag_key || ':' || objects"
						+ " FROM ferry_route_transfer WHERE pipeline_name = ? ORDER BY transfer_id",
				String.class, pipeline);
	}

	/** What psql prints for a file of {@code db/queries}, run on the repository. */
	String query(String file) {
		return this.repository.psql(Path.of("..", "db", "queries", file));
	}

	/** The root causes of the newest execution whose parameters contain a text. */
	String failure(String parameter) {
		return this.repositoryJdbc.queryForObject("""
				SELECT string_agg(root_cause, ' | ') FROM ferry_execution_failure WHERE job_execution_id =
				(SELECT max(execution_id) FROM ferry_job_history WHERE parameters LIKE ?)""", String.class,
				"%" + parameter + "%");
	}

}
