package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification webhook, against a real HTTP endpoint on a loopback port: one POST per
 * quarantined file with the report's fields, retries after 503, a run that fails while
 * the endpoint is down and a rerun that delivers, a 4xx that is a configuration error,
 * and a token in the URL that never reaches the log or the job repository.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class IngestNotifyTest {

	static final String TOKEN = "t0ken-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

	static final Receiver receiver = Receiver.start(0);

	static final int downPort = freePort();

	static final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd())
		.local("notified", "notify.webhook-url=" + receiver.url("notified"), "post-action=delete")
		.local("flaky", "notify.webhook-url=" + receiver.url("flaky"), "notify.backoff=100ms")
		.local("down", "notify.webhook-url=" + url(downPort, "down"), "notify.attempts=2", "notify.backoff=100ms")
		.local("refused", "notify.webhook-url=" + receiver.url("refused"));

	static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	InProcessCli ferry;

	@AfterAll
	static void stop() {
		receiver.stop();
	}

	@Test
	void anInfectedFileIsNotifiedOnceWithTheReportsFieldsBeforeItsPostAction(CapturedOutput log) throws Exception {
		fixture.write("notified", "virus.com", Clamd.eicar());
		fixture.write("notified", "clean.csv", IngestLocalTest.bytes("id\n1\n"));

		InProcessCli.Result first = this.ferry.run("run", "ingest", "source=notified", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err() + log.getOut()).isZero();

		List<Request> posts = receiver.requests("notified");
		assertThat(posts).hasSize(1);
		Request post = posts.getFirst();
		assertThat(post.method()).isEqualTo("POST");
		assertThat(post.contentType()).isEqualTo("application/json");
		Map<String, Object> row = row("notified", "virus.com");
		JsonNode body = json.readTree(post.body());
		assertThat(body.get("source").asString()).isEqualTo("notified");
		assertThat(body.get("path").asString()).isEqualTo(fixture.inbox("notified").resolve("virus.com").toString());
		assertThat(body.get("size").asLong()).isEqualTo(68);
		assertThat(body.get("sha256").asString()).isEqualTo(IngestLocalTest.sha256(Clamd.eicar()));
		assertThat(body.get("verdict").asString()).isEqualTo("infected");
		assertThat(body.get("signature").asString()).isEqualTo("Eicar-Test-Signature.UNOFFICIAL");
		assertThat(body.get("scanner").asString()).startsWith("ClamAV ");
		assertThat(body.get("quarantinedAs").asString())
			.isEqualTo(fixture.quarantine.resolve("notified/virus.com").toString());
		assertThat(body.get("time").asString()).isNotBlank();
		assertThat(body.get("ledgerId").asLong()).isEqualTo(row.get("id"));
		assertThat(body.get("jobExecutionId").asLong()).isPositive();
		// the notification is the report beside the quarantined file
		assertThat(body)
			.isEqualTo(json.readTree(fixture.quarantine.resolve("notified/virus.com.report.json").toFile()));

		// delivered, then the post-action
		assertThat(row).containsEntry("state", "source_cleaned");
		assertThat(row.get("notified_at")).isNotNull();
		assertThat(row("notified", "clean.csv")).containsEntry("notified_at", null);
		assertThat(fixture.inbox("notified").resolve("virus.com")).doesNotExist();
		assertThat(log.getOut())
			.contains("virus.com': INFECTED notification delivered to http://127.0.0.1:" + receiver.port() + "/***")
			.contains("1 quarantined (1 infected, 0 unscannable), 0 unscannable left pending, 1 notified")
			.contains("notify: http://127.0.0.1:" + receiver.port() + "/*** (5 attempt(s), timeout PT10S)");

		// a second run sends nothing again
		InProcessCli.Result second = this.ferry.run("run", "ingest", "source=notified", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(receiver.requests("notified")).hasSize(1);
		assertNoToken(log);
	}

	@Test
	void aNotificationAnswered503IsSentAgainUntilDelivered(CapturedOutput log) throws Exception {
		receiver.answer("flaky", 503, 503);
		fixture.write("flaky", "virus.com", Clamd.eicar());

		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=flaky", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err() + log.getOut()).isZero();

		List<Request> posts = receiver.requests("flaky");
		assertThat(posts).hasSize(3);
		assertThat(posts).extracting(Request::body).containsOnly(posts.getFirst().body());
		assertThat(row("flaky", "virus.com")).containsEntry("state", "quarantined");
		assertThat(row("flaky", "virus.com").get("notified_at")).isNotNull();
		assertThat(log.getOut()).contains("attempt 1 of 5 failed (HTTP 503), trying again in PT0.1S")
			.contains("attempt 2 of 5 failed (HTTP 503), trying again in PT0.2S")
			.contains("virus.com': INFECTED notification delivered to http://127.0.0.1:" + receiver.port()
					+ "/*** (attempt 3)")
			.contains("1 notified");
		assertNoToken(log);
	}

	@Test
	void aRunFailsWhileTheEndpointIsDownAndItsRestartDelivers(CapturedOutput log) throws Exception {
		fixture.write("down", "virus.com", Clamd.eicar());

		InProcessCli.Result failed = this.ferry.run("run", "ingest", "source=down", "runDate=2026-12-01");
		assertThat(failed.exitCode()).as(failed.err() + log.getOut()).isEqualTo(1);
		Map<String, Object> row = row("down", "virus.com");
		assertThat(row).containsEntry("state", "quarantined").containsEntry("notified_at", null);
		assertThat(fixture.quarantine.resolve("down/virus.com")).hasBinaryContent(Clamd.eicar());
		String failure = fixture.failure("source=down");
		assertThat(failure).contains("was not delivered to http://127.0.0.1:" + downPort + "/***")
			.contains("ferry.ingest.sources.down.notify.webhook-url")
			.contains("in 2 attempt(s)")
			.contains("a restart sends the notification again")
			.doesNotContain(TOKEN);

		Receiver up = Receiver.start(downPort);
		try {
			InProcessCli.Result rerun = this.ferry.run("run", "ingest", "source=down", "runDate=2026-12-01");
			assertThat(rerun.exitCode()).as(rerun.err() + log.getOut()).isZero();
			assertThat(up.requests("down")).hasSize(1);
			assertThat(json.readTree(up.requests("down").getFirst().body()).get("ledgerId").asLong())
				.isEqualTo(row.get("id"));
		}
		finally {
			up.stop();
		}
		assertThat(row("down", "virus.com").get("notified_at")).isNotNull();
		assertNoToken(log);
	}

	@Test
	void a4xxIsAConfigurationErrorThatNamesTheProperty(CapturedOutput log) throws Exception {
		receiver.answer("refused", 404);
		fixture.write("refused", "virus.com", Clamd.eicar());

		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=refused", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err() + log.getOut()).isEqualTo(1);
		assertThat(receiver.requests("refused")).hasSize(1);
		assertThat(fixture.failure("source=refused")).contains("answered HTTP 404")
			.contains("check ferry.ingest.sources.refused.notify.webhook-url")
			.doesNotContain(TOKEN);
		assertThat(row("refused", "virus.com")).containsEntry("state", "quarantined")
			.containsEntry("notified_at", null);
		assertNoToken(log);
	}

	private static void assertNoToken(CapturedOutput log) {
		assertThat(log.getAll()).doesNotContain(TOKEN);
		String like = "%" + TOKEN + "%";
		assertThat(fixture.jdbc.queryForObject("""
				SELECT (SELECT count(*) FROM batch_step_execution_context
						WHERE short_context LIKE ? OR serialized_context LIKE ?)
					+ (SELECT count(*) FROM batch_step_execution WHERE exit_message LIKE ?)
					+ (SELECT count(*) FROM batch_job_execution WHERE exit_message LIKE ?)
					+ (SELECT count(*) FROM batch_job_execution_params WHERE parameter_value LIKE ?)""", Long.class,
				like, like, like, like, like))
			.isZero();
	}

	private static Map<String, Object> row(String source, String name) {
		return fixture.ledger(source)
			.stream()
			.filter(row -> row.get("path").toString().endsWith("/" + name))
			.findFirst()
			.orElseThrow();
	}

	/** A webhook URL with the token in its path and its query. */
	static String url(int port, String name) {
		return "http://127.0.0.1:" + port + "/hooks/" + TOKEN + "/" + name + "?token=" + TOKEN;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Request(String method, String contentType, byte[] body) {
	}

	/**
	 * An HTTP endpoint on 127.0.0.1 that records every request by the last segment of its
	 * path and answers what it is told (200 by default).
	 */
	static final class Receiver {

		private final HttpServer server;

		private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();

		private final Map<String, Queue<Integer>> answers = new ConcurrentHashMap<>();

		private final Map<String, Integer> always = new ConcurrentHashMap<>();

		private Receiver(HttpServer server) {
			this.server = server;
			server.createContext("/", this::handle);
			server.start();
		}

		static Receiver start(int port) {
			try {
				return new Receiver(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		String url(String name) {
			return IngestNotifyTest.url(port(), name);
		}

		/** The answers to the next requests of a name; 200 after them. */
		void answer(String name, int... statuses) {
			if (statuses.length == 1 && statuses[0] >= 400 && statuses[0] < 500) {
				this.always.put(name, statuses[0]);
				return;
			}
			Queue<Integer> queue = this.answers.computeIfAbsent(name, key -> new ConcurrentLinkedQueue<>());
			for (int status : statuses) {
				queue.add(status);
			}
		}

		List<Request> requests(String name) {
			return new ArrayList<>(this.requests.getOrDefault(name, List.of()));
		}

		void stop() {
			this.server.stop(0);
		}

		private void handle(HttpExchange exchange) throws IOException {
			try (exchange) {
				String path = exchange.getRequestURI().getPath();
				String name = path.substring(path.lastIndexOf('/') + 1);
				byte[] body = exchange.getRequestBody().readAllBytes();
				this.requests.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>())
					.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
							body));
				Integer status = this.always.get(name);
				if (status == null) {
					Queue<Integer> queue = this.answers.get(name);
					status = (queue != null && !queue.isEmpty()) ? queue.poll() : 200;
				}
				byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(status, answer.length);
				exchange.getResponseBody().write(answer);
			}
		}

	}

}
