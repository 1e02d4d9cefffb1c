package dev.ferry.common.progress;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.ferry.common.fatal.WorkerError;
import dev.ferry.common.fatal.WorkerErrors;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReporterTest {

	@Test
	void anErrorOnTheProgressThreadIsReportedSoThatTheRunFails() {
		WorkerErrors workerErrors = new WorkerErrors();
		CompletableFuture<WorkerError> run = workerErrors.watch();
		ProgressReporter reporter = new ProgressReporter(Duration.ofSeconds(30), workerErrors);
		OutOfMemoryError error = new OutOfMemoryError("Java heap space");
		StepExecution step = new StepExecution(7L, "dumpTable:public.wide",
				new JobExecution(1L, new JobInstance(1L, "tableDump"), new JobParameters())) {

			@Override
			public long getReadCount() {
				throw error;
			}

		};
		reporter.beforeStep(step);
		try {
			reporter.logAll();
		}
		finally {
			reporter.destroy();
		}

		assertThat(run).isCompleted();
		assertThat(run.join().error()).isSameAs(error);
		assertThat(run.join().where())
			.isEqualTo("the progress thread (writing the line of step 'dumpTable:public.wide')");
	}

}
