package dev.ferry.common.batch;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The kinds of step and job every Ferry job is made of, built one way:
 * <ul>
 * <li>a {@linkplain #check check} that runs on every start and restart (sources, buckets,
 * grants change between runs) and keeps nothing;</li>
 * <li>a {@linkplain #resumable resumable} tasklet, whose state lives in its step's
 * ExecutionContext because it is the step's stream too;</li>
 * <li>a {@linkplain #once once} tasklet, which keeps nothing and runs until it
 * completes;</li>
 * <li>a {@linkplain #job job}: steps one after the other, with its parameters
 * validated.</li>
 * </ul>
 */
public final class FerrySteps {

	private FerrySteps() {
	}

	/** A check that runs again on every restart, even after it completed. */
	public static Step check(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Tasklet tasklet) {
		return new StepBuilder(name, jobRepository).tasklet(tasklet, transactionManager)
			.allowStartIfComplete(true)
			.build();
	}

	/**
	 * A tasklet that saves its progress in the step's ExecutionContext at every chunk
	 * ({@link ItemStream#update}) and resumes from it ({@link ItemStream#open}).
	 */
	public static <T extends Tasklet & ItemStream> Step resumable(String name, JobRepository jobRepository,
			PlatformTransactionManager transactionManager, T tasklet) {
		return new StepBuilder(name, jobRepository).tasklet(tasklet, transactionManager).stream(tasklet).build();
	}

	/** A tasklet that keeps nothing: a restart runs it again unless it completed. */
	public static Step once(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Tasklet tasklet) {
		return new StepBuilder(name, jobRepository).tasklet(tasklet, transactionManager).build();
	}

	/** A job of steps run one after the other. */
	public static Job job(String name, JobRepository jobRepository, JobParametersValidator validator, Step first,
			Step... next) {
		SimpleJobBuilder builder = new JobBuilder(name, jobRepository).validator(validator).start(first);
		for (Step step : next) {
			builder.next(step);
		}
		return builder.build();
	}

}
