package dev.ferry.common.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RetryingRepositoryWritesTest {

	/**
	 * A repository whose next writes fail as a dropped connection makes them fail; a
	 * write that gets through bumps the version, as Spring Batch's DAOs do.
	 */
	static final class FlakyRepository implements JobRepository {

		final List<Integer> versionsWritten = new ArrayList<>();

		final List<RuntimeException> failures = new ArrayList<>();

		@Override
		public JobInstance createJobInstance(String jobName, JobParameters jobParameters) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void update(JobExecution jobExecution) {
			write(jobExecution.getVersion());
			jobExecution.incrementVersion();
		}

		@Override
		public void updateExecutionContext(JobExecution jobExecution) {
			write(null);
		}

		@Override
		public void update(StepExecution stepExecution) {
			write(stepExecution.getVersion());
			// the DAO bumps the version before the transaction commits, and a failed
			// commit leaves it bumped
			stepExecution.incrementVersion();
			if (!this.failures.isEmpty()) {
				throw this.failures.removeFirst();
			}
		}

		@Override
		public void updateExecutionContext(StepExecution stepExecution) {
			write(null);
		}

		private void write(Integer version) {
			this.versionsWritten.add(version);
		}

	}

	final FlakyRepository target = new FlakyRepository();

	final JobRepository repository = RetryingRepositoryWrites.wrap(this.target, 3, Duration.ofMillis(1));

	final StepExecution step = new StepExecution(3L, "dumpTable:public.users",
			new JobExecution(1L, new JobInstance(1L, "tableDump"), new JobParameters()));

	@Test
	void aWriteOnADeadConnectionIsRetriedFromTheVersionItStartedWith() {
		this.step.setVersion(4);
		this.target.failures.add(new DataAccessResourceFailureException("This connection has been closed."));
		this.target.failures.add(new DataAccessResourceFailureException("This connection has been closed."));

		this.repository.update(this.step);

		assertThat(this.target.versionsWritten).containsExactly(4, 4, 4);
		assertThat(this.step.getVersion()).isEqualTo(5);
	}

	@Test
	void aWriteThatKeepsFailingFailsWithItsOwnExceptionAfterThreeRetries() {
		this.step.setVersion(0);
		for (int i = 0; i < 4; i++) {
			this.target.failures.add(new DataAccessResourceFailureException("Connection refused " + i));
		}

		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> this.repository.update(this.step))
			.withMessage("Connection refused 3");
		assertThat(this.target.versionsWritten).hasSize(4);
	}

	@Test
	void anOptimisticLockingFailureIsNotRetried() {
		this.step.setVersion(0);
		this.target.failures.add(new OptimisticLockingFailureException("wrong version"));

		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> this.repository.update(this.step));
		assertThat(this.target.versionsWritten).hasSize(1);
	}

	@Test
	void aWriteInsideATransactionIsNotRetried() {
		// the chunk's transaction holds the dead connection: another attempt would fail
		// on it again
		this.step.setVersion(0);
		this.target.failures.add(new DataAccessResourceFailureException("This connection has been closed."));

		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> new TransactionTemplate(new ResourcelessTransactionManager())
				.executeWithoutResult(status -> this.repository.update(this.step)));
		assertThat(this.target.versionsWritten).hasSize(1);
	}

}
