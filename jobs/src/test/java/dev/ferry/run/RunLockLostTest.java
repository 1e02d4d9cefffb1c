package dev.ferry.run;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.ferry.FerryApplication;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testjob.InProcessCli.Result;
import dev.ferry.testjob.TestJobDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run whose run-lock session dies (here: {@code pg_terminate_backend}, as an
 * administrator or a failover would) stops at its next chunk boundary instead of running
 * on without a lock, and the next run resumes it to exact counts.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = FerryApplication.class, properties = { "ferry.test-job.enabled=true",
		"ferry.test-job.item-delay=20ms", "ferry.run-lock-check-interval=200ms" })
class RunLockLostTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	@DynamicPropertySource
	static void repository(DynamicPropertyRegistry registry) {
		db.registerAsRepository(registry);
	}

	@Autowired
	ConfigurableApplicationContext context;

	@Test
	void aRunThatLosesItsLockStopsAndTheNextRunResumesIt(CapturedOutput log) throws Exception {
		CompletableFuture<Result> run = CompletableFuture
			.supplyAsync(() -> ferry("run", "countingJob", "runDate=2026-11-25", "items=300"));
		Awaitility.await("a few chunks written")
			.atMost(Duration.ofSeconds(30))
			.until(() -> db.sinkCount() >= 30 || run.isDone());
		assertThat(terminateRunLockSessions()).as("sessions holding a run lock").isEqualTo(1);

		Result stopped = run.get(60, TimeUnit.SECONDS);
		assertThat(stopped.exitCode()).as(stopped.out() + stopped.err()).isEqualTo(ExitCode.STOPPED.code());
		assertThat(log.getAll()).contains("The run lock of job 'countingJob'")
			.contains("was lost with its database session");
		assertThat(db.sinkCount()).isBetween(30, 290);

		Result resumed = ferry("run", "countingJob", "runDate=2026-11-25", "items=300");
		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
	}

	private int terminateRunLockSessions() {
		return db.jdbc()
			.queryForList(
					"""
							SELECT pg_terminate_backend(pid) FROM pg_locks
							WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""",
					Boolean.class)
			.size();
	}

	Result ferry(String... args) {
		return new InProcessCli(this.context).run(args);
	}

}
