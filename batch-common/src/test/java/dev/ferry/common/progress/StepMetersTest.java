package dev.ferry.common.progress;

import java.time.Duration;

import dev.ferry.common.fatal.WorkerErrors;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;

import static org.assertj.core.api.Assertions.assertThat;

class StepMetersTest {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final ProgressReporter reporter = new ProgressReporter(Duration.ofHours(1), new WorkerErrors(), this.registry);

	@Test
	void aStepCountsItsItemsAndBytesAsTheyAreCommitted() {
		JobExecution job = MetaDataInstanceFactory.createJobExecution("mirror", 1L, 7L);
		StepExecution step = MetaDataInstanceFactory.createStepExecution(job, "copyObjects", 1L);
		this.reporter.beforeStep(step);
		step.setReadCount(5);
		step.setWriteCount(4);
		this.reporter.progressOf(step).addBytes(1234);
		this.reporter.afterStep(step);
		// still there after the step, for the final push
		assertThat(count(StepMeters.ITEMS_READ, "copyObjects")).isEqualTo(5);
		assertThat(count(StepMeters.ITEMS_WRITTEN, "copyObjects")).isEqualTo(4);
		assertThat(count(StepMeters.BYTES, "copyObjects")).isEqualTo(1234);
		assertThat(this.registry.get(StepMeters.BYTES).functionCounter().getId().getTag(StepMeters.JOB_TAG))
			.isEqualTo("mirror");
	}

	@Test
	void aPartitionedStepsItemsAreCountedOnceByItsPartitions() {
		JobExecution job = MetaDataInstanceFactory.createJobExecution("dump", 1L, 7L);
		StepExecution manager = MetaDataInstanceFactory.createStepExecution(job, "dumpTables", 1L);
		StepExecution partition = MetaDataInstanceFactory.createStepExecution(job, "dumpTable:public.a", 2L);
		this.reporter.beforeStep(manager);
		this.reporter.beforeStep(partition);
		partition.setWriteCount(10);
		this.reporter.afterStep(partition);
		manager.setWriteCount(10);
		this.reporter.afterStep(manager);
		assertThat(this.registry.find(StepMeters.ITEMS_WRITTEN).functionCounters())
			.extracting(counter -> counter.getId().getTag(StepMeters.STEP_TAG))
			.containsExactly("dumpTable:public.a");
		assertThat(count(StepMeters.ITEMS_WRITTEN, "dumpTable:public.a")).isEqualTo(10);
	}

	private double count(String name, String step) {
		FunctionCounter counter = this.registry.get(name).tag(StepMeters.STEP_TAG, step).functionCounter();
		return counter.count();
	}

}
