package dev.ferry.testjob;

import java.util.Set;

import javax.sql.DataSource;

import dev.ferry.common.batch.RunDate;
import dev.ferry.common.batch.StrictJobParametersValidator;
import dev.ferry.config.FerryProperties;
import dev.ferry.testjob.CountingJobConfiguration.Faults;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A test-only job shaped like table-dump: one TaskletStep whose tasklet
 * ({@link CountingTasklet}) writes a chunk per call and keeps its position in the step's
 * ExecutionContext. It counts from 1 to {@code items} (identifying, default 100) into
 * {@code test_sink}, whose primary key makes a number written twice fail the chunk, and
 * waits {@code ferry.test-job.item-delay} per number.
 * <p>
 * A TaskletStep, unlike a chunk-oriented step, ends UNKNOWN when its chunk's transaction
 * cannot even be rolled back, which is what a dropped repository connection does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("ferry.test-job.enabled")
public class TaskletJobConfiguration {

	public static final String JOB_NAME = "taskletCountingJob";

	@Bean
	Job taskletCountingJob(JobRepository jobRepository, Step taskletCountingStep) {
		return new JobBuilder(JOB_NAME, jobRepository)
			.validator(new StrictJobParametersValidator(Set.of(RunDate.NAME), Set.of("items")))
			.start(taskletCountingStep)
			.build();
	}

	@Bean
	RunDate taskletCountingJobRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	@Bean
	Step taskletCountingStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			CountingTasklet countingTasklet) {
		return new StepBuilder("taskletCountingStep", jobRepository).tasklet(countingTasklet, transactionManager)
			.stream(countingTasklet)
			.build();
	}

	@Bean
	@StepScope
	CountingTasklet countingTasklet(@Value("#{jobParameters['items'] ?: '100'}") String items, DataSource dataSource,
			Faults faults) {
		return new CountingTasklet(Integer.parseInt(items), dataSource, faults.itemDelay());
	}

}
