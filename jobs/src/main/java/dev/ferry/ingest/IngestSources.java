package dev.ferry.ingest;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.common.s3.S3Target;

/**
 * The configured sources, each opened on first use (the AWS SDK's client costs a second
 * of start-up that {@code ferry history} should not pay). Closes what it opened.
 * <p>
 * Thread-safe.
 */
final class IngestSources implements AutoCloseable {

	private final IngestProperties properties;

	private final Map<String, IngestSource> open = new ConcurrentHashMap<>();

	IngestSources(IngestProperties properties) {
		this.properties = properties;
	}

	Set<String> names() {
		return new TreeSet<>(this.properties.sources().keySet());
	}

	/**
	 * @throws IllegalArgumentException when no source of that name is configured
	 */
	IngestSource source(String name) {
		IngestProperties.Source settings = this.properties.sources().get(name);
		if (settings == null) {
			throw new IllegalArgumentException(unknown(name));
		}
		return this.open.computeIfAbsent(name, key -> IngestSource.open(key, settings, this.properties));
	}

	/**
	 * The destination bucket of a source, for {@code bucket-check} and
	 * {@code bucket-setup}.
	 */
	S3Target target(String name) {
		return source(name).delivery().target();
	}

	String unknown(String name) {
		return "no source '" + name + "' is configured (" + IngestProperties.PREFIX + "." + name + ".*); configured: "
				+ names();
	}

	@Override
	public void close() {
		this.open.values().forEach(IngestSource::close);
		this.open.clear();
	}

}
