package dev.ferry.mirror;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.common.s3.S3ClientFactory;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.routes.Route;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The configured egress sources and target endpoints, each client opened on first use
 * (the AWS SDK's clients take a second of every start-up), and the locations of routes'
 * destinations on them. Closes what it opened.
 * <p>
 * Thread-safe.
 */
final class EgressEndpoints implements AutoCloseable {

	private final S3EgressProperties properties;

	private final Map<String, S3Target> sources = new ConcurrentHashMap<>();

	private final Map<String, S3Client> targets = new ConcurrentHashMap<>();

	EgressEndpoints(S3EgressProperties properties) {
		this.properties = properties;
	}

	S3EgressProperties properties() {
		return this.properties;
	}

	Set<String> names() {
		return new TreeSet<>(this.properties.sources().keySet());
	}

	/**
	 * @throws IllegalArgumentException when no source of that name is configured
	 */
	S3Target source(String name) {
		if (!this.properties.sources().containsKey(name)) {
			throw new IllegalArgumentException(unknown(name));
		}
		return this.sources.computeIfAbsent(name,
				key -> S3Target.open(this.properties.sources().get(key), this.properties.encryption(),
						S3EgressProperties.PREFIX + ".sources." + key, S3EgressProperties.PREFIX + ".encryption",
						connections()));
	}

	/**
	 * The destination of an S3 route: its bucket and prefix on the source's endpoint
	 * (with the source's client and {@code ferry.s3-egress.encryption}), or on the target
	 * endpoint it names. Not to be closed: the client is shared.
	 * @throws IllegalStateException when the route names a target that is not configured
	 */
	S3Target destination(String sourceName, Route route) {
		String bucket = String.valueOf(route.destinationBucket());
		String endpoint = route.destinationEndpoint();
		if (endpoint == null) {
			S3Target source = source(sourceName);
			return new S3Target(source.client(), source.location().withBucket(bucket, route.destinationPrefix()),
					source.encryption(), source.property(), source.encryptionProperty());
		}
		S3EgressProperties.Target target = this.properties.targets().get(endpoint);
		if (target == null) {
			throw new IllegalStateException(route.describe() + " names the destination endpoint '" + endpoint
					+ "', which is not configured (" + S3EgressProperties.PREFIX + ".targets." + endpoint
					+ ".*); configured: " + new TreeSet<>(this.properties.targets().keySet())
					+ ". Configure it, or fix the route's destination_endpoint");
		}
		String property = S3EgressProperties.PREFIX + ".targets." + endpoint;
		S3Client client = this.targets.computeIfAbsent(endpoint,
				key -> new S3ClientFactory(connections()).create(target.location(bucket, "")));
		return new S3Target(client, target.location(bucket, route.destinationPrefix()), target.encryption(), property,
				property + ".encryption");
	}

	/**
	 * The directory of a DIRECTORY route.
	 * @throws IllegalStateException when no directory root is configured
	 */
	DirectoryDestination directory(Route route) {
		Path root = this.properties.directoryRoot();
		if (root == null) {
			throw new IllegalStateException(route.describe() + " writes to the directory '" + route.directory()
					+ "', but no directory root is configured: set " + S3EgressProperties.PREFIX
					+ ".directory-root (the volume the SFT sidecar drains)");
		}
		return DirectoryDestination.of(root, String.valueOf(route.directory()), route);
	}

	String unknown(String name) {
		return "no egress source '" + name + "' is configured (" + S3EgressProperties.PREFIX + ".sources." + name
				+ ".*); configured: " + names();
	}

	/** Copies, plus the listings and the HEADs beside them. */
	private int connections() {
		return this.properties.concurrency() + 2;
	}

	@Override
	public void close() {
		try {
			this.sources.values().forEach(S3Target::close);
		}
		finally {
			this.targets.values().forEach(S3Client::close);
		}
		this.sources.clear();
		this.targets.clear();
	}

}
