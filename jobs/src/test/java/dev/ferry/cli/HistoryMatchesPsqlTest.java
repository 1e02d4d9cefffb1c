package dev.ferry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ferry.FerryApplication;
import dev.ferry.testjob.CountingJobConfiguration.Faults;
import dev.ferry.testjob.TestJobDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ferry history} and {@code ferry show} print what psql prints for the same rows
 * of the history views, byte for byte.
 */
@SpringBootTest(classes = FerryApplication.class, properties = "ferry.test-job.enabled=true")
class HistoryMatchesPsqlTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	@DynamicPropertySource
	static void repository(DynamicPropertyRegistry registry) {
		db.registerAsRepository(registry);
	}

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	Faults faults;

	@Test
	void historyAndShowPrintWhatPsqlPrintsFromTheViews() throws Exception {
		this.faults.failAt().set(15);
		assertThat(ferry("run", "countingJob", "runDate=2026-03-01", "items=20")).isEqualTo(1);
		this.faults.failAt().set(0);
		assertThat(ferry("run", "countingJob", "runDate=2026-03-01", "items=20")).isZero();
		db.jdbc().execute("TRUNCATE test_sink");
		assertThat(ferry("run", "countingJob", "runDate=2026-03-02", "items=5")).isZero();

		assertThat(output("history"))
			.isEqualTo(psql("SELECT * FROM ferry_job_history ORDER BY execution_id DESC LIMIT 20"));
		assertThat(output("history", "--status", "FAILED")).isEqualTo(
				psql("SELECT * FROM ferry_job_history WHERE status = 'FAILED' ORDER BY execution_id DESC LIMIT 20"));
		assertThat(psql("SELECT count(*) FROM ferry_job_history WHERE status = 'FAILED'")).contains("     1\n");

		String show = output("show", "1");
		assertThat(show).contains(psql("SELECT * FROM ferry_job_history WHERE execution_id = 1"))
			.contains(psql("SELECT * FROM ferry_step_history WHERE execution_id = 1 ORDER BY step_execution_id"))
			.contains("Root cause:")
			.contains("Failing on purpose at item 15");
	}

	int ferry(String... args) {
		return FerryCli.execute(CliContext.of(this.context), new PrintWriter(new StringWriter()),
				new PrintWriter(new StringWriter()), args);
	}

	String output(String... args) {
		StringWriter out = new StringWriter();
		int code = FerryCli.execute(CliContext.of(this.context), new PrintWriter(out),
				new PrintWriter(new StringWriter()), args);
		assertThat(code).isZero();
		return out.toString();
	}

	/** What the psql client prints for a query, in its default aligned format. */
	static String psql(String sql) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of("psql", "-X", "-q", "-h", db.database().host(), "-p", Integer.toString(db.database().port()),
						"-U", db.database().username(), "-d", db.database().name(), "-P", "pager=off", "-c", sql));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PGPASSWORD", db.database().password());
		builder.environment().put("PGTZ", java.util.TimeZone.getDefault().getID());
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"psql not found: install it with 'sudo apt-get install -y postgresql-client'", ex);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
