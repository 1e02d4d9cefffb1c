package dev.ferry.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.testjob.TestJobDatabase;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in a real process push their metrics to a Prometheus pushgateway (a fake one that
 * records every request), into a group per job, and the last push happens as the process
 * ends, as a CronJob pod that nobody scrapes needs.
 */
class PushgatewayExportTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	final List<Push> pushes = new CopyOnWriteArrayList<>();

	HttpServer pushgateway;

	@BeforeEach
	void startPushgateway() throws IOException {
		// each test runs the counting job, whose sink takes a number once
		db.jdbc().execute("TRUNCATE test_sink");
		this.pushgateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.pushgateway.createContext("/", this::record);
		this.pushgateway.start();
	}

	@AfterEach
	void stopPushgateway() {
		this.pushgateway.stop(0);
	}

	private void record(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			this.pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
					new String(body.readAllBytes(), StandardCharsets.UTF_8)));
			exchange.sendResponseHeaders(200, -1);
		}
	}

	FerryProcess.Builder ferry() {
		return FerryProcess.builder()
			.repository(db.database())
			.env("FERRY_TESTJOB_ENABLED", "true")
			.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED", "true")
			.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS",
					"127.0.0.1:" + this.pushgateway.getAddress().getPort());
	}

	@Test
	void aRunPushesItsJobsMetricsToTheJobsGroupAsTheProcessEnds() {
		try (FerryProcess ferry = ferry().start("run", "countingJob", "runDate=2026-05-01", "items=30")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
			assertThat(ferry.output()).doesNotContain("Pushgateway").doesNotContain("WARNING");
		}
		assertThat(this.pushes).isNotEmpty()
			.allSatisfy(push -> assertThat(push.path()).isEqualTo("/metrics/job/ferry/ferry_job/countingJob"));
		// the shutdown push: a PUT, so that the group holds this run's metrics and no
		// other's
		Push last = this.pushes.getLast();
		assertThat(last.method()).isEqualTo("PUT");
		assertThat(last.sample("spring_batch_job_seconds_count", "spring_batch_job_name=\"countingJob\"",
				"spring_batch_job_status=\"COMPLETED\""))
			.isEqualTo(1);
		assertThat(last.sample("spring_batch_item_read_seconds_count",
				"spring_batch_item_read_job_name=\"countingJob\"", "spring_batch_item_read_status=\"SUCCESS\""))
			.isEqualTo(31);
		assertThat(last.sample("spring_batch_chunk_write_seconds_count",
				"spring_batch_chunk_write_step_name=\"countingStep\"", "spring_batch_chunk_write_status=\"SUCCESS\""))
			.isEqualTo(3);
		// pushes while the job ran are POSTs (they add to the group)
		assertThat(this.pushes.subList(0, this.pushes.size() - 1))
			.allSatisfy(push -> assertThat(push.method()).isEqualTo("POST"));
	}

	/**
	 * The pods of an Indexed Job ({@code part}) push to groups of their own: one pod's
	 * final PUT must not replace the series of the others.
	 */
	@Test
	void aPodOfAnIndexedJobPushesToAGroupOfItsOwn() {
		try (FerryProcess ferry = ferry().start("run", "countingJob", "runDate=2026-05-02", "items=5", "part=1",
				"parts=3")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
		}
		assertThat(this.pushes).isNotEmpty()
			.allSatisfy(
					push -> assertThat(push.path()).isEqualTo("/metrics/job/ferry/ferry_job/countingJob/ferry_part/1"));
	}

	/**
	 * openshift/grafana-dashboard.json parses, and every metric it queries and every
	 * label it uses is one that a run pushes (or that the pushgateway adds: its grouping
	 * labels and {@code push_time_seconds}); the items and bytes counters carry what the
	 * step counted.
	 */
	@Test
	void theGrafanaDashboardQueriesOnlyWhatARunPushes() {
		try (FerryProcess ferry = ferry().start("run", "countingJob", "runDate=2026-05-03", "items=12")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
		}
		Push last = this.pushes.getLast();
		Set<String> metrics = new TreeSet<>(Set.of("push_time_seconds", "push_failure_time_seconds"));
		Set<String> labels = new TreeSet<>(Set.of("job", "instance", PushgatewayConfiguration.JOB_GROUPING_KEY,
				PushgatewayConfiguration.PART_GROUPING_KEY));
		Matcher sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ").matcher("");
		for (String line : last.body().lines().filter(line -> !line.startsWith("#")).toList()) {
			if (sample.reset(line).find()) {
				metrics.add(sample.group(1));
				if (sample.group(2) != null) {
					Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(sample.group(2));
					while (label.find()) {
						labels.add(label.group(1));
					}
				}
			}
		}
		GrafanaDashboard dashboard = GrafanaDashboard.read();
		assertThat(dashboard.queries()).hasSizeGreaterThan(10);
		assertThat(dashboard.metrics()).as("metrics the dashboard queries")
			.contains("spring_batch_job_seconds_count", "ferry_step_items_written_total", "ferry_step_bytes_total")
			.isSubsetOf(metrics);
		assertThat(dashboard.labels()).as("labels the dashboard uses").isSubsetOf(labels);
		assertThat(last.sample("ferry_step_items_written_total", "spring_batch_job_name=\"countingJob\"",
				"spring_batch_step_name=\"countingStep\""))
			.isEqualTo(12);
		assertThat(last.sample("ferry_step_items_read_total", "spring_batch_step_name=\"countingStep\"")).isEqualTo(12);
		assertThat(last.sample("ferry_step_bytes_total", "spring_batch_step_name=\"countingStep\"")).isZero();
	}

	@Test
	void aCommandThatRunsNoJobPushesNothing() {
		try (FerryProcess ferry = ferry().start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
		}
		assertThat(this.pushes).isEmpty();
	}

	/** One request to the pushgateway; the body in Prometheus' text format. */
	record Push(String method, String path, String body) {

		/** The value of the one sample of a metric whose line has all these labels. */
		double sample(String metric, String... labels) {
			List<String> matching = this.body.lines()
				.filter(line -> line.startsWith(metric + "{"))
				.filter(line -> List.of(labels).stream().allMatch(line::contains))
				.toList();
			assertThat(matching).as("samples of %s with %s in:%n%s", metric, List.of(labels), this.body).hasSize(1);
			String line = matching.getFirst();
			return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
		}

	}

}
