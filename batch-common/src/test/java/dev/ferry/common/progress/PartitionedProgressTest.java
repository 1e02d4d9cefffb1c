package dev.ferry.common.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.ferry.common.fatal.WorkerErrors;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionedProgressTest {

	final MutableClock clock = new MutableClock();

	final ProgressReporter reporter = new ProgressReporter(Duration.ofSeconds(30), this.clock, new WorkerErrors());

	@Test
	void aPartitionedStepSumsItsPartitionsInsteadOfLoggingZeros() {
		JobExecution job = MetaDataInstanceFactory.createJobExecution(7L);
		StepExecution manager = MetaDataInstanceFactory.createStepExecution(job, "dumpTables", 1L);
		this.reporter.beforeStep(manager);
		this.reporter.progressOf(manager).setPartitions(3);
		StepExecution orders = partition(job, "dumpTable:orders", 2L, 1_000, 600, 6 * 1024 * 1024);
		StepExecution users = partition(job, "dumpTable:users", 3L, 400, 400, 2 * 1024 * 1024);
		users.setStatus(BatchStatus.COMPLETED);
		this.reporter.afterStep(users);
		this.clock.advance(Duration.ofSeconds(10));

		ProgressReporter.Running entry = new ProgressReporter.Running(manager, this.reporter.progressOf(manager),
				this.clock.instant().minusSeconds(10), false);
		assertThat(this.reporter.line(entry)).isEqualTo("1/3 partitions done, 1 running, 1,000 rows written,"
				+ " 8.0 MiB, 100 rows/s, 0.8 MiB/s, elapsed 00:00:10");

		StepExecution last = partition(job, "dumpTable:audit", 4L, 200, 0, 0);
		assertThat(this.reporter.line(entry)).as("every partition started and knows its total: an ETA")
			.isEqualTo("1/3 partitions done, 2 running, 1,000 rows written, 8.0 MiB, 100 rows/s, 0.8 MiB/s,"
					+ " ETA 00:00:06, elapsed 00:00:10");
		assertThat(this.reporter
			.line(new ProgressReporter.Running(last, this.reporter.progressOf(last), this.clock.instant(), true)))
			.as("a partition keeps its own line")
			.startsWith("0 rows read, 0 written");
	}

	private StepExecution partition(JobExecution job, String name, long id, long total, long written, long bytes) {
		StepExecution step = MetaDataInstanceFactory.createStepExecution(job, name, id);
		this.reporter.beforeStep(step);
		StepProgress progress = this.reporter.progressOf(step);
		progress.setItemName("rows");
		progress.setTotalItems(total);
		progress.addBytes(bytes);
		step.setReadCount(written);
		step.setWriteCount(written);
		return step;
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-12-02T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
