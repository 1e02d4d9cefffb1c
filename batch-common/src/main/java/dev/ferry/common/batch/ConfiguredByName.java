package dev.ferry.common.batch;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The things a job is configured with by name (mirrors, ingest sources), each opened on
 * first use: their S3 clients take a second of start-up that {@code ferry history} or a
 * run of another job should not pay. Closes what it opened.
 * <p>
 * Thread-safe.
 *
 * @param <S> the settings of one
 * @param <T> what is opened from them
 */
public class ConfiguredByName<S, T extends AutoCloseable> implements AutoCloseable {

	private final String kind;

	private final String property;

	private final Map<String, S> settings;

	private final BiFunction<String, S, T> opener;

	private final Map<String, T> open = new ConcurrentHashMap<>();

	/**
	 * @param kind what one is called in messages, e.g. {@code mirror}
	 * @param property where they are configured, e.g. {@code ferry.s3-mirror.mirrors}
	 * @param settings the configured ones, by name
	 * @param opener opens one from its name and settings
	 */
	protected ConfiguredByName(String kind, String property, Map<String, S> settings, BiFunction<String, S, T> opener) {
		this.kind = kind;
		this.property = property;
		this.settings = Map.copyOf(settings);
		this.opener = opener;
	}

	/** The configured names, sorted. */
	public Set<String> names() {
		return new TreeSet<>(this.settings.keySet());
	}

	/**
	 * The one of that name, opened on first use.
	 * @throws IllegalArgumentException when none of that name is configured
	 */
	protected T get(String name) {
		S configured = this.settings.get(name);
		if (configured == null) {
			throw new IllegalArgumentException(unknown(name));
		}
		return this.open.computeIfAbsent(name, key -> this.opener.apply(key, configured));
	}

	/** The message for a name that is not configured: where they are, and which are. */
	public String unknown(String name) {
		return "no " + this.kind + " '" + name + "' is configured (" + this.property + "." + name + ".*); configured: "
				+ names();
	}

	@Override
	public void close() throws Exception {
		for (T opened : this.open.values()) {
			opened.close();
		}
		this.open.clear();
	}

}
