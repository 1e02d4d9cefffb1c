package dev.ferry.run;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import dev.ferry.testjob.TestJobDatabase;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real processes, really killed: the test job runs in child JVMs against embedded
 * PostgreSQL, as it would in CronJob pods.
 */
class CrashAndConcurrencyTest {

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

	@Test
	void aKilledRunIsStaleAndTheNextRunWithTheSameParametersResumesIt() {
		try (FerryProcess doomed = ferry("20ms").start("run", "countingJob", "runDate=2026-01-01", "items=200")) {
			// SIGKILL once 4 chunks are committed, in the middle of the fifth
			doomed.killWhen(() -> db.sinkCount() >= 40, TIMEOUT);
		}
		int committed = db.sinkCount();
		assertThat(committed).isBetween(40, 190);
		assertThat(db.executions("2026-01-01")).singleElement().asString().startsWith("STARTED").endsWith("stale=true");

		try (FerryProcess history = ferry("0ms").start("history", "--status", "STALE")) {
			assertThat(history.waitFor(TIMEOUT)).isZero();
			assertThat(history.output()).contains("countingJob").contains("runDate=2026-01-01").contains("STARTED");
		}

		try (FerryProcess resumed = ferry("0ms").start("run", "countingJob", "runDate=2026-01-01", "items=200")) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
			assertThat(resumed.output()).contains("no process holds its run lock").contains("ended COMPLETED");
		}
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
		assertThat(db.executions("2026-01-01")).hasSize(2);
		assertThat(db.executions("2026-01-01").getFirst()).startsWith("FAILED").endsWith("stale=false");
		// the resumed execution wrote exactly what the killed one had not committed
		assertThat(db.executions("2026-01-01").getLast())
			.isEqualTo("COMPLETED read=" + (200 - committed) + " written=" + (200 - committed) + " stale=false");
		// the killed run's row in the history says so, and which execution resumed it
		List<String> messages = db.jdbc()
			.queryForList("SELECT exit_message FROM ferry_job_history WHERE parameters LIKE '%runDate=2026-01-01%'"
					+ " ORDER BY execution_id", String.class);
		Long resumedBy = db.jdbc()
			.queryForObject(
					"SELECT max(execution_id) FROM ferry_job_history WHERE parameters LIKE" + " '%runDate=2026-01-01%'",
					Long.class);
		assertThat(messages.getFirst()).startsWith("Marked FAILED by Ferry: ")
			.contains("the process that ran it was killed")
			.endsWith("; resumed by execution " + resumedBy);
	}

	@Test
	void twoConcurrentRunsOfOneInstanceRunItExactlyOnce() {
		// 200 items of 50 ms: the first run lasts 10 s, long enough for the second JVM to
		// start
		try (FerryProcess first = ferry("50ms").start("run", "countingJob", "runDate=2026-01-02", "items=200")) {
			first.awaitLine(line -> line.contains("Step 'countingStep' progress"), TIMEOUT);
			try (FerryProcess second = ferry("0ms").start("run", "countingJob", "runDate=2026-01-02", "items=200")) {
				assertThat(second.waitFor(TIMEOUT)).as(second.output()).isEqualTo(ExitCode.ALREADY_RUNNING.code());
				assertThat(second.output()).contains("is already running in another process");
			}
			assertThat(first.waitFor(TIMEOUT)).as(first.output()).isZero();
		}
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
		assertThat(db.executions("2026-01-02")).containsExactly("COMPLETED read=200 written=200 stale=false");
	}

	@Test
	void sigtermStopsTheJobRestartablyAndTheProcessExitsStopped() {
		try (FerryProcess evicted = ferry("20ms").start("run", "countingJob", "runDate=2026-01-03", "items=200")) {
			evicted.awaitLine(line -> line.contains("Step 'countingStep' progress"), TIMEOUT);
			evicted.terminate();
			assertThat(evicted.waitFor(TIMEOUT)).as(evicted.output()).isEqualTo(ExitCode.STOPPED.code());
			assertThat(evicted.output()).contains("Received SIGTERM").contains("ended STOPPED");
		}
		int committed = db.sinkCount();
		assertThat(committed).isLessThan(200);
		assertThat(db.executions("2026-01-03")).singleElement().asString().startsWith("STOPPED");

		try (FerryProcess resumed = ferry("0ms").start("restart", Long.toString(db.lastExecutionId()))) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
		}
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
		assertThat(db.executions("2026-01-03").getLast())
			.isEqualTo("COMPLETED read=" + (200 - committed) + " written=" + (200 - committed) + " stale=false");
	}

	@Test
	void ferryStopFromAnotherProcessStopsTheRunAtAChunkBoundaryAndRestartCompletesIt() {
		// 100 s if nothing stopped it (50 ms an item): time enough for a second JVM to
		// start on a busy machine; it stops within a chunk (0.5 s) of the request
		try (FerryProcess running = ferry("50ms").start("run", "countingJob", "runDate=2026-01-04", "items=2000")) {
			await().atMost(TIMEOUT).until(() -> {
				assertThat(running.isAlive()).as(running.output()).isTrue();
				return db.sinkCount() >= 20;
			});
			long executionId = db.lastExecutionId();
			try (FerryProcess stop = ferry("0ms").start("stop", Long.toString(executionId))) {
				assertThat(stop.waitFor(TIMEOUT)).as(stop.output()).isZero();
				assertThat(stop.output()).contains("Asked execution " + executionId + " of job 'countingJob' to stop");
			}
			assertThat(running.waitFor(TIMEOUT)).as(running.output()).isEqualTo(ExitCode.STOPPED.code());
			assertThat(running.output())
				.contains("Job 'countingJob' execution " + executionId + " ended STOPPED (exit code STOPPED)");
		}
		int committed = db.sinkCount();
		assertThat(committed).isBetween(20, 1990);
		assertThat(db.executions("2026-01-04"))
			.containsExactly("STOPPED read=" + committed + " written=" + committed + " stale=false");

		try (FerryProcess resumed = ferry("0ms").start("restart", Long.toString(db.lastExecutionId()))) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
		}
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 2000).boxed().toList());
		assertThat(db.executions("2026-01-04")).containsExactly(
				"STOPPED read=" + committed + " written=" + committed + " stale=false",
				"COMPLETED read=" + (2000 - committed) + " written=" + (2000 - committed) + " stale=false");
	}

	/**
	 * A run whose run-lock session dies (here {@code pg_terminate_backend}, as an
	 * administrator or a failover would) stops at its next chunk boundary instead of
	 * running on without a lock, and the next run resumes it to exact counts.
	 */
	@Test
	void aRunThatLosesItsRunLockStopsAndTheNextRunResumesIt() {
		try (FerryProcess unlocked = ferry("20ms").env("FERRY_RUNLOCKCHECKINTERVAL", "200ms")
			.start("run", "countingJob", "runDate=2026-01-05", "items=300")) {
			await("a few chunks written").atMost(TIMEOUT).until(() -> db.sinkCount() >= 30);
			assertThat(db.jdbc().queryForList("""
					SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
					AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""", Boolean.class))
				.as("sessions holding a run lock")
				.containsExactly(true);
			assertThat(unlocked.waitFor(TIMEOUT)).as(unlocked.output()).isEqualTo(ExitCode.STOPPED.code());
			assertThat(unlocked.output()).contains("The run lock of job 'countingJob'")
				.contains("was lost with its database session");
		}
		assertThat(db.sinkCount()).isBetween(30, 290);

		try (FerryProcess resumed = ferry("0ms").start("run", "countingJob", "runDate=2026-01-05", "items=300")) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
		}
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
	}

}
