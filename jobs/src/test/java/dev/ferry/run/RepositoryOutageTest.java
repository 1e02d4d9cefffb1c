package dev.ferry.run;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import dev.ferry.testjob.CountingJobConfiguration;
import dev.ferry.testjob.TaskletJobConfiguration;
import dev.ferry.testjob.TestJobDatabase;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job repository database ends every session mid-run, as a database restart or
 * failover does ({@code pg_terminate_backend}): the chunk in flight and its checkpoint
 * are lost with the connection, and the run ends FAILED, or UNKNOWN where Spring Batch
 * could not even roll the chunk back (a TaskletStep, as table-dump's steps are). The next
 * run with the same parameters resumes from the last committed checkpoint and writes
 * every item exactly once ({@code test_sink} has a primary key).
 */
class RepositoryOutageTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	@BeforeEach
	void emptySink() {
		db.jdbc().execute("TRUNCATE test_sink");
	}

	FerryProcess.Builder ferry(String itemDelay) {
		return FerryProcess.builder()
			.repository(db.database())
			.env("FERRY_TESTJOB_ENABLED", "true")
			.env("FERRY_TESTJOB_ITEMDELAY", itemDelay)
			.env("FERRY_PROGRESSINTERVAL", "1s");
	}

	@ParameterizedTest
	@CsvSource({ TaskletJobConfiguration.JOB_NAME + ", 2026-03-01",
			CountingJobConfiguration.JOB_NAME + ", 2026-03-02" })
	void aRunWhoseRepositorySessionsAreTerminatedResumesFromItsLastCheckpoint(String job, String runDate) {
		String[] command = { "run", job, "runDate=" + runDate, "items=300" };
		try (FerryProcess cut = ferry("20ms").start(command)) {
			await("a few chunks committed").atMost(TIMEOUT).until(() -> {
				assertThat(cut.isAlive()).as(cut.output()).isTrue();
				return db.sinkCount() >= 30;
			});
			List<Boolean> terminated = db.jdbc().queryForList("""
					SELECT pg_terminate_backend(pid) FROM pg_stat_activity
					WHERE datname = current_database() AND pid <> pg_backend_pid()""", Boolean.class);
			assertThat(terminated).as("terminated sessions").isNotEmpty().containsOnly(true);
			assertThat(cut.waitFor(TIMEOUT)).as(cut.output()).isEqualTo(ExitCode.FAILED.code());
			long executionId = db.lastExecutionId();
			// the outcome names a command that works (see UnknownExecutionTest)
			assertThat(cut.output()).containsPattern("execution " + executionId + " ended (UNKNOWN|FAILED)")
				.contains("'ferry restart " + executionId + "'");
		}
		int committed = db.sinkCount();
		assertThat(committed).isBetween(30, 290);
		long cutId = db.lastExecutionId();
		assertThat(db.executions(job, runDate)).singleElement().asString().containsPattern("^(UNKNOWN|FAILED) ");
		assertThat(db.restartableExecutions()).contains(cutId);

		try (FerryProcess resumed = ferry("0ms").start(command)) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
			assertThat(resumed.output()).contains("ended COMPLETED");
		}
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
		List<String> executions = db.executions(job, runDate);
		assertThat(executions).hasSize(2);
		assertThat(executions.getFirst()).startsWith("FAILED").endsWith("stale=false");
		// the resumed execution wrote exactly what the cut one had not committed
		assertThat(executions.getLast())
			.isEqualTo("COMPLETED read=" + (300 - committed) + " written=" + (300 - committed) + " stale=false");
		assertThat(db.stepStatuses(cutId)).allSatisfy(step -> assertThat(step).endsWith("=FAILED"));
	}

}
