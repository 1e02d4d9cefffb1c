package dev.ferry.run;

import java.time.Duration;
import java.util.stream.IntStream;

import dev.ferry.testjob.PartitionedJobConfiguration;
import dev.ferry.testjob.TestJobDatabase;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Error in a worker thread never hangs the process. The partitioned test job dies in
 * one partition the way table-dump does on a row too wide for the heap: an
 * OutOfMemoryError in the middle of a PgJDBC COPY, after which closing the connection
 * waits forever, and Spring Batch waits forever for that partition.
 */
class WorkerErrorTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	static final String JOB = PartitionedJobConfiguration.JOB_NAME;

	@BeforeEach
	void emptySink() {
		db.jdbc().execute("TRUNCATE test_sink");
	}

	FerryProcess.Builder ferry() {
		return FerryProcess.builder()
			.repository(db.database())
			.env("FERRY_TESTJOB_ENABLED", "true")
			.env("FERRY_PROGRESSINTERVAL", "1s");
	}

	@Test
	void anErrorInAPartitionFailsTheRunPromptlyAndTheNextRunCompletesIt() {
		try (FerryProcess doomed = ferry().env("FERRY_TESTJOB_ERRORINPARTITION", "2")
			.start("run", JOB, "runDate=2026-05-01")) {
			// before the fix it never exited: JVM start and the job take a few seconds,
			// the
			// grace period after the Error ten
			assertThat(doomed.waitFor(Duration.ofSeconds(60))).as(doomed.output()).isEqualTo(ExitCode.FAILED.code());
			long id = db.lastExecutionId();
			assertThat(doomed.output())
				.contains("Job '" + JOB + "' execution " + id + " ended FAILED (exit code FAILED): step"
						+ " 'partitionWorker:partition2' failed with java.lang.OutOfMemoryError: Java heap space")
				.contains("raise it with -Xmx, or raise the container's memory limit")
				.contains("resume it with 'ferry restart " + id + "'");
		}
		assertThat(db.executions(JOB, "2026-05-01")).singleElement()
			.asString()
			.startsWith("FAILED")
			.endsWith("stale=false");
		assertThat(db.jdbc()
			.queryForObject("SELECT exit_message FROM ferry_job_history WHERE execution_id = ?", String.class,
					db.lastExecutionId()))
			.contains("step 'partitionWorker:partition2' failed with java.lang.OutOfMemoryError");
		assertThat(db.stepStatuses(db.lastExecutionId())).contains("partitionWorker:partition2=FAILED",
				"partitionedStep=FAILED");

		try (FerryProcess rerun = ferry().start("run", JOB, "runDate=2026-05-01")) {
			assertThat(rerun.waitFor(Duration.ofSeconds(90))).as(rerun.output()).isZero();
			assertThat(rerun.output()).contains("ended COMPLETED");
		}
		assertThat(db.sink()).containsExactlyElementsOf(
				IntStream.rangeClosed(1, 10 * PartitionedJobConfiguration.PARTITIONS).boxed().toList());
		assertThat(db.executions(JOB, "2026-05-01")).hasSize(2).last().asString().startsWith("COMPLETED");
	}

}
