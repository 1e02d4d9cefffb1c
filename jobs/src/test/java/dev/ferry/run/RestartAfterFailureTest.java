package dev.ferry.run;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.stream.IntStream;

import dev.ferry.FerryApplication;
import dev.ferry.testjob.CountingJobConfiguration.Faults;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testjob.InProcessCli.Result;
import dev.ferry.testjob.TestJobDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = FerryApplication.class, properties = "ferry.test-job.enabled=true")
class RestartAfterFailureTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	@DynamicPropertySource
	static void repository(DynamicPropertyRegistry registry) {
		db.registerAsRepository(registry);
	}

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	Faults faults;

	@BeforeEach
	void emptySink() {
		db.jdbc().execute("TRUNCATE test_sink");
		this.faults.failAt().set(0);
	}

	@Test
	void aJobThatFailsAtItem55IsRestartedToExactCountsWithNoItemWrittenTwice() {
		this.faults.failAt().set(55);
		Result first = ferry("run", "countingJob", "runDate=2026-11-23");
		assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.FAILED.code());
		assertThat(first.err()).contains("ended FAILED").contains("ferry restart");
		// chunks of 10: items 1-50 committed, the chunk holding 55 rolled back
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
		long failedId = db.lastExecutionId();

		Result show = ferry("show", Long.toString(failedId));
		assertThat(show.out()).contains("Root cause:")
			.contains("step 'countingStep': org.springframework.batch.core.step.FatalStepExecutionException: Unable to"
					+ " process chunk; caused by java.lang.IllegalStateException: Failing on purpose at item 55;"
					+ " caused by java.io.IOException: simulated root cause at item 55");

		this.faults.failAt().set(0);
		Result restart = ferry("restart", Long.toString(failedId));
		assertThat(restart.exitCode()).as(restart.err()).isZero();
		assertThat(restart.out()).contains("ended COMPLETED");
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
		// the chunk-oriented step reads a whole chunk (51-60) before it processes it
		assertThat(db.executions("2026-11-23")).containsExactly("FAILED read=60 written=50 stale=false",
				"COMPLETED read=50 written=50 stale=false");

		Result again = ferry("run", "countingJob", "runDate=2026-11-23");
		assertThat(again.exitCode()).isZero();
		assertThat(again.out()).contains("already completed");
		assertThat(db.executions("2026-11-23")).hasSize(2);
	}

	@Test
	void theSameParametersAfterAFailureResumeTheFailedInstance() {
		this.faults.failAt().set(23);
		assertThat(ferry("run", "countingJob", "runDate=2026-11-24", "items=30").exitCode())
			.isEqualTo(ExitCode.FAILED.code());
		this.faults.failAt().set(0);
		Result resumed = ferry("run", "countingJob", "runDate=2026-11-24", "items=30");
		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		Integer instances = db.jdbc()
			.queryForObject("SELECT count(DISTINCT instance_id) FROM ferry_job_history WHERE parameters LIKE"
					+ " '%runDate=2026-11-24%'", Integer.class);
		assertThat(instances).isEqualTo(1);
		assertThat(db.jdbc()
			.queryForList("SELECT read_count FROM ferry_job_history WHERE parameters LIKE '%runDate=2026-11-24%'"
					+ " ORDER BY execution_id", Long.class))
			.containsExactly(30L, 10L);
	}

	@Test
	void aRunDateLeftOutIsTodayInFerryZoneAndNamesTheSameInstanceAsTodaysDate() {
		// ferry.zone defaults to UTC
		String today = LocalDate.now(ZoneId.of("UTC")).toString();
		this.faults.failAt().set(5);
		Result first = ferry("run", "countingJob", "items=10");
		assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.FAILED.code());
		this.faults.failAt().set(0);
		Result resumed = ferry("run", "countingJob", "runDate=" + today, "items=10");
		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		assertThat(db.executions(today)).extracting(execution -> execution.split(" ")[0])
			.containsExactly("FAILED", "COMPLETED");
	}

	@Test
	void usageErrorsNameWhatIsWrong() {
		Result unknownJob = ferry("run", "noSuchJob");
		assertThat(unknownJob.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(unknownJob.err()).contains("Unknown job 'noSuchJob'").contains("countingJob");

		Result badDate = ferry("run", "countingJob", "runDate=23/11/2026");
		assertThat(badDate.exitCode()).as(badDate.err()).isEqualTo(ExitCode.USAGE.code());
		assertThat(badDate.err()).contains("runDate='23/11/2026' is not an ISO date");

		String password = "pw-" + java.util.UUID.randomUUID();
		Result secret = ferry("run", "countingJob", "dbPassword=" + password);
		assertThat(secret.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(secret.err()).contains("'dbPassword' looks like a secret").doesNotContain(password);

		Result unknownParameter = ferry("run", "countingJob", "colour=blue");
		assertThat(unknownParameter.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(unknownParameter.err()).contains("unknown parameter(s) [colour]")
			.contains("[items, part, parts] (optional)");

		Result noExecution = ferry("restart", "999999");
		assertThat(noExecution.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(noExecution.err()).contains("There is no job execution 999999");
	}

	Result ferry(String... args) {
		return new InProcessCli(this.context).run(args);
	}

}
