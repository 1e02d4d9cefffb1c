package dev.ferry.common.secret;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as Ferry may print it: a password in its user info ({@code user:secret@host}) and
 * the values of query parameters that hold secrets ({@code ?password=...},
 * {@code sslpassword}, {@code token}, {@code secret}, access keys) replaced by
 * {@value #MASK}. Works on any URL text, JDBC URLs included, and never fails: text that
 * is not a URL comes back as it was, masked where it looks like one.
 */
public final class MaskedUrl {

	public static final String MASK = "***";

	private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#\\s]*:)([^/@?#\\s]*)@");

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("([?&;](?:[^=&;#\\s]*(?:password|passwd|pwd|secret|token|credential|signature|access[-_]?key)"
				+ "[^=&;#\\s]*)=)([^&;#\\s]*)", Pattern.CASE_INSENSITIVE);

	private MaskedUrl() {
	}

	/** The URL with its secrets masked. */
	public static String of(String url) {
		String masked = USER_INFO.matcher(url)
			.replaceAll(match -> Matcher.quoteReplacement(match.group(1)) + MASK + "@");
		return SECRET_PARAMETER.matcher(masked).replaceAll(match -> Matcher.quoteReplacement(match.group(1)) + MASK);
	}

	/** The URL with its secrets masked. */
	public static String of(java.net.URI uri) {
		return of(uri.toString());
	}

}
