package dev.ferry.mirror;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.common.transfer.SignedEmptyPayload;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FerrySettings;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3Endpoint;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an s3-mirror test works with: a job repository, and mirrors by name, each from a
 * bucket of its own on the source endpoint ({@code src/} prefix) to one on the target
 * endpoint ({@code copy/} prefix).
 */
final class MirrorFixture implements FerrySettings.Source {

	static final String SOURCE_PREFIX = "src";

	static final String TARGET_PREFIX = "copy";

	final PostgresDatabase repository = EmbeddedPostgresServer.shared().newMigratedDatabase();

	final JdbcTemplate repositoryJdbc = new JdbcTemplate(this.repository.dataSource());

	final S3Endpoint sourceEndpoint;

	final S3Endpoint targetEndpoint;

	final S3Client source;

	final S3Client target;

	private final Map<String, Pair> mirrors = new TreeMap<>();

	private final FerrySettings settings;

	MirrorFixture(S3Endpoint sourceEndpoint, S3Endpoint targetEndpoint) {
		this.sourceEndpoint = sourceEndpoint;
		this.targetEndpoint = targetEndpoint;
		this.source = sourceEndpoint.client();
		this.target = targetEndpoint.client();
		this.settings = FerrySettings.repository(this.repository);
	}

	/**
	 * Adds a mirror with buckets of its own, no SSE, 5 MB parts, and the given settings.
	 */
	MirrorFixture mirror(String name, String... settings) {
		Pair pair = new Pair(this.sourceEndpoint.createBucket("src-" + name),
				this.targetEndpoint.createBucket("tgt-" + name));
		this.mirrors.put(name, pair);
		String prefix = "ferry.s3-mirror.mirrors." + name;
		this.settings.s3Location(prefix + ".source", this.sourceEndpoint, pair.source())
			.set(prefix + ".source.prefix", SOURCE_PREFIX)
			.s3Location(prefix + ".target", this.targetEndpoint, pair.target())
			.set(prefix + ".target.prefix", TARGET_PREFIX)
			.set(prefix + ".encryption.algorithm", "NONE")
			.set(prefix + ".part-size", "5MB")
			.set(prefix + ".multipart-threshold", "5MB");
		for (String setting : settings) {
			int eq = setting.indexOf('=');
			this.settings.set(prefix + "." + setting.substring(0, eq), setting.substring(eq + 1));
		}
		return this;
	}

	@Override
	public FerrySettings settings() {
		return this.settings;
	}

	Pair pair(String mirror) {
		return this.mirrors.get(mirror);
	}

	void putSource(String mirror, String key, byte[] content) {
		put(this.source, pair(mirror).source(), SOURCE_PREFIX + "/" + key, content, b -> b);
	}

	void putSource(String mirror, String key, byte[] content,
			java.util.function.UnaryOperator<PutObjectRequest.Builder> headers) {
		put(this.source, pair(mirror).source(), SOURCE_PREFIX + "/" + key, content, headers);
	}

	void putTarget(String mirror, String key, byte[] content) {
		put(this.target, pair(mirror).target(), TARGET_PREFIX + "/" + key, content, b -> b);
	}

	static void put(S3Client s3, String bucket, String key, byte[] content,
			java.util.function.UnaryOperator<PutObjectRequest.Builder> headers) {
		PutObjectRequest.Builder request = headers.apply(PutObjectRequest.builder().bucket(bucket).key(key));
		if (content.length == 0) {
			// Ceph RGW 16 refuses an empty aws-chunked body
			request.overrideConfiguration(override -> override.addPlugin(SignedEmptyPayload.plugin()));
		}
		s3.putObject(request.build(), RequestBody.fromBytes(content));
	}

	/** The objects of a bucket under a prefix, key (relative) to bytes. */
	static Map<String, byte[]> objects(S3Client s3, String bucket, String prefix) {
		Map<String, byte[]> objects = new TreeMap<>();
		for (String key : keys(s3, bucket, prefix)) {
			objects.put(key.substring(prefix.length() + 1),
					s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray());
		}
		return objects;
	}

	static List<String> keys(S3Client s3, String bucket, String prefix) {
		return s3
			.listObjectsV2Paginator(
					request -> request.bucket(bucket).prefix(prefix + "/").encodingType(EncodingType.URL))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	Map<String, byte[]> sourceObjects(String mirror) {
		return objects(this.source, pair(mirror).source(), SOURCE_PREFIX);
	}

	Map<String, byte[]> targetObjects(String mirror) {
		return objects(this.target, pair(mirror).target(), TARGET_PREFIX);
	}

	/** What psql prints for a file of {@code db/queries}, run on the repository. */
	String query(String file, String... variables) {
		return this.repository.psql(java.nio.file.Path.of("..", "db", "queries", file), variables);
	}

	/** The root causes of the newest execution whose parameters contain a text. */
	String failure(String parameter) {
		return this.repositoryJdbc.queryForObject("""
				SELECT string_agg(root_cause, ' | ') FROM ferry_execution_failure WHERE job_execution_id =
				(SELECT max(execution_id) FROM ferry_job_history WHERE parameters LIKE ?)""", String.class,
				"%" + parameter + "%");
	}

	/**
	 * @param source the source bucket
	 * @param target the target bucket
	 */
	record Pair(String source, String target) {
	}

}
