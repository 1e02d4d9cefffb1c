package dev.ferry.mirror;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.common.s3.S3Target;

/**
 * The configured mirrors, each opened on first use: the AWS SDK's clients take a second
 * of every start-up, and {@code ferry history} needs none. Closes what it opened.
 * <p>
 * Thread-safe.
 */
final class MirrorEndpoints implements AutoCloseable {

	private final S3MirrorProperties properties;

	private final Map<String, MirrorPair> open = new ConcurrentHashMap<>();

	MirrorEndpoints(S3MirrorProperties properties) {
		this.properties = properties;
	}

	Set<String> names() {
		return new TreeSet<>(this.properties.mirrors().keySet());
	}

	/**
	 * @throws IllegalArgumentException when no mirror of that name is configured
	 */
	MirrorPair mirror(String name) {
		S3MirrorProperties.Mirror settings = this.properties.mirrors().get(name);
		if (settings == null) {
			throw new IllegalArgumentException(unknown(name));
		}
		return this.open.computeIfAbsent(name, key -> MirrorPair.open(key, settings));
	}

	/** The target of a mirror, for {@code bucket-check} and {@code bucket-setup}. */
	S3Target target(String name) {
		return mirror(name).target();
	}

	String unknown(String name) {
		return "no mirror '" + name + "' is configured (" + S3MirrorProperties.PREFIX + "." + name + ".*); configured: "
				+ names();
	}

	@Override
	public void close() {
		this.open.values().forEach(MirrorPair::close);
		this.open.clear();
	}

}
