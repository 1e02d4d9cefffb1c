package dev.ferry.common.fatal;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerErrorsTest {

	final WorkerErrors workerErrors = new WorkerErrors();

	static StepExecution failedStep(String name, Throwable failure) {
		StepExecution step = new StepExecution(name,
				new JobExecution(1L, new JobInstance(1L, "tableDump"), new JobParameters()));
		step.addFailureException(failure);
		return step;
	}

	@Test
	void anOutOfMemoryErrorDeepInAStepFailureIsReportedWithTheStepAndTheHeapToRaise() {
		CompletableFuture<WorkerError> run = this.workerErrors.watch();
		// as GzipPart wraps the failure of a compressor thread
		OutOfMemoryError error = new OutOfMemoryError("Java heap space");
		this.workerErrors.afterStep(failedStep("dumpTable:public.wide",
				new IllegalStateException("gzip compression failed", new RuntimeException("wrapped", error))));

		assertThat(run).isCompleted();
		WorkerError reported = run.join();
		assertThat(reported.error()).isSameAs(error);
		assertThat(reported.describe())
			.startsWith("step 'dumpTable:public.wide' failed with java.lang.OutOfMemoryError: Java heap space. The"
					+ " JVM's heap (at most " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) is too small")
			.contains("raise it with -Xmx, or raise the container's memory limit");
		assertThat(this.workerErrors.first()).contains(reported);
	}

	@Test
	void aStepThatFailedWithAnExceptionIsNoWorkerError() {
		CompletableFuture<WorkerError> run = this.workerErrors.watch();
		this.workerErrors.afterStep(failedStep("dumpTable:public.users", new IllegalStateException("no such table")));

		assertThat(run).isNotDone();
		assertThat(this.workerErrors.first()).isEmpty();
	}

	@Test
	void aThreadThatDiesOfAnErrorIsReported() {
		CompletableFuture<WorkerError> run = this.workerErrors.watch();
		StackOverflowError error = new StackOverflowError();
		this.workerErrors.uncaughtException(new Thread("ferry-gzip-3"), error);

		assertThat(run.join().where()).isEqualTo("thread 'ferry-gzip-3'");
		assertThat(run.join().describe()).isEqualTo("thread 'ferry-gzip-3' failed with java.lang.StackOverflowError."
				+ " An Error leaves the JVM in a state it may not recover from, so the run fails; the stack trace is"
				+ " in the log.");
	}

	@Test
	void theFirstErrorOfARunIsTheOneItFailsWithAndANewRunStartsWithNone() {
		CompletableFuture<WorkerError> first = this.workerErrors.watch();
		this.workerErrors.report("step 'a'", new OutOfMemoryError("Java heap space"));
		this.workerErrors.report("step 'b'", new OutOfMemoryError("Java heap space"));
		assertThat(first.join().where()).isEqualTo("step 'a'");

		CompletableFuture<WorkerError> second = this.workerErrors.watch();
		assertThat(second).isNotDone();
		assertThat(this.workerErrors.first()).isEmpty();
	}

}
