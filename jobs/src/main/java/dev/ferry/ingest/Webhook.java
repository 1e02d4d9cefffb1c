package dev.ferry.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import dev.ferry.common.secret.MaskedUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source's notification webhook ({@code notify.webhook-url}): POSTs a JSON document
 * with the JDK's HTTP client, and tries again after a connection error, a timeout, a 5xx
 * or a 429, waiting {@code backoff}, then twice as long each time up to
 * {@code max-backoff}, for at most {@code attempts} attempts. Only a 2xx counts as
 * delivered. Any other answer (a 4xx but 429, a redirect) is a configuration error and is
 * not retried.
 * <p>
 * The URL is a secret (a token often lives in its path or query): it is never logged and
 * never in an exception's message; only {@code scheme://host:port} is, with {@code /***}
 * for a path or query ({@link #display()}). The JDK's exceptions are not chained as
 * causes (their messages could name the URL), only their type and scrubbed message are
 * kept.
 * <p>
 * Thread-safe: the HTTP client is.
 */
final class Webhook implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Webhook.class);

	private final URI uri;

	private final String display;

	private final IngestProperties.Notify settings;

	private final String property;

	private final HttpClient client;

	private Webhook(URI uri, IngestProperties.Notify settings, String property) {
		this.uri = uri;
		this.display = display(uri);
		this.settings = settings;
		this.property = property;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * The webhook of a source, or null when it has none.
	 * @param property the settings' prefix ({@code ferry.ingest.sources.<name>.notify}),
	 * for messages
	 */
	static @Nullable Webhook open(IngestProperties.Notify settings, String property) {
		String url = settings.webhookUrl();
		if (url == null || url.isBlank()) {
			return null;
		}
		URI uri = parse(url);
		if (uri == null) {
			throw new IllegalArgumentException(property + ".webhook-url: must be an absolute http or https URL with"
					+ " a host (the value is a secret and is not shown)");
		}
		return new Webhook(uri, settings, property);
	}

	/** The URL, or null unless it is an absolute http or https URL with a host. */
	static @Nullable URI parse(String url) {
		try {
			URI uri = new URI(url.strip());
			String scheme = uri.getScheme();
			if (scheme == null || uri.getHost() == null || uri.isOpaque()) {
				return null;
			}
			scheme = scheme.toLowerCase(Locale.ROOT);
			return ("http".equals(scheme) || "https".equals(scheme)) ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	/**
	 * A URL as Ferry logs it: {@code scheme://host:port}, then {@code /***} when it has a
	 * path or a query, whatever they hold; user info is dropped.
	 */
	static String display(URI uri) {
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
		String path = uri.getRawPath();
		boolean more = (path != null && !path.isEmpty() && !"/".equals(path)) || uri.getRawQuery() != null
				|| uri.getRawFragment() != null;
		return MaskedUrl.of(scheme + "://" + uri.getHost() + ":" + port) + (more ? "/" + MaskedUrl.MASK : "");
	}

	/** {@code scheme://host:port/***}: the webhook as it may be logged. */
	String display() {
		return this.display;
	}

	/** {@code 5 attempts, timeout 10s}, for the source's description. */
	String describe() {
		return this.display + " (" + this.settings.attempts() + " attempt(s), timeout " + this.settings.timeout() + ")";
	}

	/**
	 * POSTs a JSON document until it is delivered.
	 * @param json the payload, {@code application/json} in UTF-8
	 * @param what what the notification is about, for messages (already escaped)
	 * @return the attempts it took
	 * @throws WebhookException when it was not delivered: the webhook refused it (a
	 * configuration error), or every attempt failed
	 */
	int post(byte[] json, String what) {
		HttpRequest request = HttpRequest.newBuilder(this.uri)
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", "Ferry")
			.POST(HttpRequest.BodyPublishers.ofByteArray(json))
			.build();
		int attempts = this.settings.attempts();
		String last = "";
		for (int attempt = 1; attempt <= attempts; attempt++) {
			if (attempt > 1) {
				sleep(backoff(attempt - 1));
			}
			try {
				int status = this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status >= 200 && status < 300) {
					return attempt;
				}
				if (status < 500 && status != 429) {
					throw new WebhookException("The webhook " + this.display + " (" + this.property
							+ ".webhook-url) answered HTTP " + status + " to the notification of " + what
							+ ": a configuration error, not retried (check " + this.property
							+ ".webhook-url and the token it holds); the file stays quarantined, and a restart"
							+ " sends the notification again");
				}
				last = "HTTP " + status;
			}
			catch (IOException ex) {
				last = scrub(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WebhookException("Interrupted while notifying " + this.display + " of " + what);
			}
			if (attempt < attempts) {
				logger.warn("Notification of {} to {}: attempt {} of {} failed ({}), trying again in {}", what,
						this.display, attempt, attempts, last, backoff(attempt));
			}
		}
		throw new WebhookException("The notification of " + what + " was not delivered to " + this.display + " ("
				+ this.property + ".webhook-url) in " + attempts + " attempt(s), the last: " + last
				+ "; the file stays quarantined, and a restart sends the notification again");
	}

	/** The wait after the given number of failed attempts. */
	Duration backoff(int failed) {
		Duration wait = this.settings.backoff();
		for (int i = 1; i < failed && wait.compareTo(this.settings.maxBackoff()) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : wait;
	}

	private void sleep(Duration wait) {
		try {
			Thread.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WebhookException("Interrupted while waiting to notify " + this.display);
		}
	}

	/** An exception's type and message, without the URL, its path or its query. */
	private String scrub(Exception ex) {
		String message = null;
		for (Throwable cause = ex; cause != null && message == null; cause = cause.getCause()) {
			message = (cause.getMessage() != null && !cause.getMessage().isBlank()) ? cause.getMessage() : null;
		}
		if (message == null) {
			return ex.getClass().getSimpleName();
		}
		message = message.replace(this.uri.toString(), this.display);
		for (String secret : new String[] { this.uri.getRawPath(), this.uri.getPath(), this.uri.getRawQuery(),
				this.uri.getQuery(), this.uri.getRawUserInfo(), this.uri.getRawFragment() }) {
			if (secret != null && secret.length() > 1) {
				message = message.replace(secret, MaskedUrl.MASK);
			}
		}
		return ex.getClass().getSimpleName() + ": " + message;
	}

	@Override
	public void close() {
		this.client.shutdownNow();
	}

	/** A notification that was not delivered: the step fails, and a restart sends it. */
	static final class WebhookException extends RuntimeException {

		WebhookException(String message) {
			super(message);
		}

	}

}
