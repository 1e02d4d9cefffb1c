package dev.ferry.mirror;

import dev.ferry.common.batch.ConfiguredByName;
import dev.ferry.common.s3.S3Target;

/**
 * The configured mirrors ({@code ferry.s3-mirror.mirrors.<name>}), each opened on first
 * use.
 * <p>
 * Thread-safe.
 */
final class MirrorEndpoints extends ConfiguredByName<S3MirrorProperties.Mirror, MirrorPair> {

	MirrorEndpoints(S3MirrorProperties properties) {
		super("mirror", S3MirrorProperties.PREFIX, properties.mirrors(), MirrorPair::open);
	}

	/**
	 * @throws IllegalArgumentException when no mirror of that name is configured
	 */
	MirrorPair mirror(String name) {
		return get(name);
	}

	/** The target of a mirror, for {@code bucket-check} and {@code bucket-setup}. */
	S3Target target(String name) {
		return mirror(name).target();
	}

}
