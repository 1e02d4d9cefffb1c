package dev.ferry.mirror;

import java.net.URI;
import java.util.Locale;

import dev.ferry.common.s3.S3Location;

/**
 * Whether two locations share objects: the same endpoint and bucket, and one listing
 * prefix a prefix of the other. A mirror into itself would copy its own copies, and its
 * deletes would remove source objects.
 */
final class Overlap {

	private Overlap() {
	}

	static boolean of(S3Location source, S3Location target) {
		if (!sameEndpoint(source.endpoint(), target.endpoint()) || !source.bucket().equals(target.bucket())) {
			return false;
		}
		String a = source.key("");
		String b = target.key("");
		return a.startsWith(b) || b.startsWith(a);
	}

	private static boolean sameEndpoint(URI a, URI b) {
		return host(a).equals(host(b)) && port(a) == port(b);
	}

	private static String host(URI uri) {
		return (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
