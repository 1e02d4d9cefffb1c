package dev.ferry.mirror;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;

/**
 * One configured mirror with clients for both ends. Owns and closes them.
 * <p>
 * Thread-safe: the AWS SDK's clients are.
 *
 * @param name the mirror's name, the job parameter {@code mirror}
 * @param settings its configuration
 * @param source where objects are read
 * @param target where they are written, with the configured encryption
 */
record MirrorPair(String name, S3MirrorProperties.Mirror settings, S3Target source,
		S3Target target) implements AutoCloseable {

	static MirrorPair open(String name, S3MirrorProperties.Mirror settings) {
		String property = S3MirrorProperties.property(name);
		// copies and the listing, the HEADs and the deletes beside them
		int connections = settings.concurrency() + 2;
		S3Target source = S3Target.open(settings.source(), ServerSideEncryption.none(), property + ".source",
				property + ".encryption", connections);
		try {
			return new MirrorPair(name, settings, source, S3Target.open(settings.target(), settings.encryption(),
					property + ".target", property + ".encryption", connections));
		}
		catch (RuntimeException ex) {
			source.close();
			throw ex;
		}
	}

	/** The configuration prefix of this mirror, for messages. */
	String property() {
		return S3MirrorProperties.property(this.name);
	}

	/** The two locations, for the copies. */
	CopyEnds ends() {
		return CopyEnds.of(this.source, this.target);
	}

	/** The target key of a key relative to the source prefix: only the prefix changes. */
	String targetKey(String relativeKey) {
		return ends().targetKey(relativeKey);
	}

	String sourceKey(String relativeKey) {
		return ends().sourceKey(relativeKey);
	}

	/** The log line of a copy: {@code `source-bucket/key` -> `target-bucket/key`}. */
	String copyLine(String relativeKey) {
		return ends().copyLine(relativeKey);
	}

	KeyFilter filter() {
		return new KeyFilter(this.settings.include(), this.settings.exclude());
	}

	@Override
	public void close() {
		try {
			this.source.close();
		}
		finally {
			this.target.close();
		}
	}

}
