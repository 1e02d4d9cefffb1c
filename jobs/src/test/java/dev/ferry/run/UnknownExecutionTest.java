package dev.ferry.run;

import java.util.Optional;
import java.util.stream.IntStream;

import dev.ferry.FerryApplication;
import dev.ferry.testjob.CountingJobConfiguration.Faults;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testjob.InProcessCli.Result;
import dev.ferry.testjob.TestJobDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An execution that ended UNKNOWN, as one does when its job repository connection drops
 * mid-chunk (see {@link RepositoryOutageTest}): Spring Batch refuses to restart it, and
 * would have left the job instance stuck for good. Here the counting job fails at item 55
 * (items 1-50 committed) and is then set UNKNOWN, job and step, as such a run leaves it.
 */
@SpringBootTest(classes = FerryApplication.class, properties = "ferry.test-job.enabled=true")
class UnknownExecutionTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	@DynamicPropertySource
	static void repository(DynamicPropertyRegistry registry) {
		db.registerAsRepository(registry);
	}

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	Faults faults;

	@AfterEach
	void noFaults() {
		this.faults.failAt().set(0);
	}

	long unknownExecution(String runDate) {
		db.jdbc().execute("TRUNCATE test_sink");
		this.faults.failAt().set(55);
		assertThat(ferry("run", "countingJob", "runDate=" + runDate).exitCode()).isEqualTo(ExitCode.FAILED.code());
		this.faults.failAt().set(0);
		long id = db.lastExecutionId();
		db.jdbc()
			.update("UPDATE batch_step_execution SET status = 'UNKNOWN', exit_code = 'UNKNOWN' WHERE job_execution_id = ?",
					id);
		db.jdbc()
			.update("UPDATE batch_job_execution SET status = 'UNKNOWN', exit_code = 'UNKNOWN' WHERE job_execution_id = ?",
					id);
		assertThat(db.executions(runDate)).containsExactly("UNKNOWN read=60 written=50 stale=true");
		assertThat(db.restartableExecutions()).contains(id);
		return id;
	}

	@Test
	void restartResumesAnUnknownExecutionFromItsLastCommittedCheckpoint() {
		long id = unknownExecution("2026-04-01");

		Result restart = ferry("restart", Long.toString(id));
		assertThat(restart.exitCode()).as(restart.err()).isZero();
		assertThat(restart.out()).contains("ended COMPLETED");
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
		assertThat(db.executions("2026-04-01")).containsExactly("FAILED read=60 written=50 stale=false",
				"COMPLETED read=50 written=50 stale=false");
		assertThat(db.stepStatuses(id)).containsExactly("countingStep=FAILED");
		assertThat(db.jdbc()
			.queryForObject("SELECT exit_message FROM ferry_job_history WHERE execution_id = ?", String.class, id))
			.startsWith("Marked FAILED by Ferry: it ended UNKNOWN");
	}

	@Test
	void recoverMarksAnUnknownExecutionFailedAndTheSameRunResumesIt() {
		long id = unknownExecution("2026-04-02");

		Result recover = ferry("recover", Long.toString(id));
		assertThat(recover.exitCode()).as(recover.err()).isZero();
		assertThat(recover.out()).contains(
				"Execution " + id + " of job 'countingJob' is now FAILED; resume it with 'ferry restart " + id + "'");
		assertThat(db.executions("2026-04-02")).containsExactly("FAILED read=60 written=50 stale=false");
		assertThat(db.stepStatuses(id)).containsExactly("countingStep=FAILED");

		Result run = ferry("run", "countingJob", "runDate=2026-04-02");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
		assertThat(db.executions("2026-04-02")).containsExactly("FAILED read=60 written=50 stale=false",
				"COMPLETED read=50 written=50 stale=false");
	}

	@Test
	void runResumesAnUnknownExecutionByItself() {
		long id = unknownExecution("2026-04-03");

		Result run = ferry("run", "countingJob", "runDate=2026-04-03");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(db.sink()).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
		assertThat(db.executions("2026-04-03")).containsExactly("FAILED read=60 written=50 stale=false",
				"COMPLETED read=50 written=50 stale=false");
		assertThat(db.stepStatuses(id)).containsExactly("countingStep=FAILED");
	}

	@Test
	void abandonMarksAnUnknownExecutionAbandonedForGood() {
		long id = unknownExecution("2026-04-04");

		Result abandon = ferry("abandon", Long.toString(id));
		assertThat(abandon.exitCode()).as(abandon.err()).isZero();
		assertThat(abandon.out()).contains("Execution " + id + " of job 'countingJob' is ABANDONED");
		assertThat(db.executions("2026-04-04")).containsExactly("ABANDONED read=60 written=50 stale=false");
		assertThat(db.restartableExecutions()).doesNotContain(id);

		Result run = ferry("run", "countingJob", "runDate=2026-04-04");
		assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_RESTARTABLE.code());
		assertThat(run.err()).contains("was abandoned in execution " + id);
		assertThat(db.sinkCount()).isEqualTo(50);
	}

	@Test
	void theOutcomeOfAnUnknownEndNamesWhatResumesIt() {
		JobExecution execution = new JobExecution(13L, new JobInstance(7L, "countingJob"), new JobParameters());
		execution.setStatus(BatchStatus.UNKNOWN);

		RunOutcome outcome = RunOutcomes.of(execution, Optional.empty());

		assertThat(outcome.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(outcome.message()).startsWith("Job 'countingJob' execution 13 ended UNKNOWN")
			.contains("resumes from its last committed checkpoint: run the same command again, or 'ferry restart 13'");
	}

	Result ferry(String... args) {
		return new InProcessCli(this.context).run(args);
	}

}
