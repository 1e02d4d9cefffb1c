package dev.ferry.ingest;

import dev.ferry.common.batch.ConfiguredByName;
import dev.ferry.common.s3.S3Target;

/**
 * The configured sources ({@code ferry.ingest.sources.<name>}), each opened on first use.
 * <p>
 * Thread-safe.
 */
final class IngestSources extends ConfiguredByName<IngestProperties.Source, IngestSource> {

	IngestSources(IngestProperties properties) {
		super("source", IngestProperties.PREFIX, properties.sources(),
				(name, settings) -> IngestSource.open(name, settings, properties));
	}

	/**
	 * @throws IllegalArgumentException when no source of that name is configured
	 */
	IngestSource source(String name) {
		return get(name);
	}

	/**
	 * The destination bucket of a source, for {@code bucket-check} and
	 * {@code bucket-setup}.
	 */
	S3Target target(String name) {
		return source(name).delivery().target();
	}

	/**
	 * The bucket an {@code s3} source takes its objects from, for {@code bucket-check}.
	 * @throws IllegalStateException when the source is not of type s3
	 */
	S3Target sourceBucket(String name) {
		if (source(name).files() instanceof S3FileSource s3) {
			return s3.bucket();
		}
		throw new IllegalStateException("The source '" + name + "' is not of type s3");
	}

	/**
	 * The quarantine bucket of a source, for {@code bucket-check}.
	 * @throws IllegalStateException when it quarantines to a directory
	 */
	S3Target quarantineBucket(String name) {
		BucketQuarantine bucket = source(name).quarantine().bucket();
		if (bucket == null) {
			throw new IllegalStateException("The source '" + name + "' quarantines to a directory");
		}
		return bucket.target();
	}

}
