package dev.ferry.testjob;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import dev.ferry.common.batch.JobShare;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.batch.StrictJobParametersValidator;
import dev.ferry.config.FerryProperties;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A test-only job that proves the machinery: it counts from 1 to {@code items} (an
 * identifying parameter, default 100) in chunks of 10 and inserts each number into
 * {@code test_sink}, whose primary key makes a number written twice fail the chunk. It
 * fails on purpose at item {@code ferry.test-job.fail-at} (0: never) and waits
 * {@code ferry.test-job.item-delay} per item so that a crash test can kill it mid-way.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("ferry.test-job.enabled")
public class CountingJobConfiguration {

	/** Binds and validates the test job's S3 target when one is configured. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "ferry.test-job.target", name = "endpoint")
	@EnableConfigurationProperties(TestJobTargetProperties.class)
	static class Target {

	}

	public static final String JOB_NAME = "countingJob";

	public static final int CHUNK_SIZE = 10;

	@Bean
	Job countingJob(JobRepository jobRepository, Step countingStep) {
		return new JobBuilder(JOB_NAME, jobRepository)
			.validator(new StrictJobParametersValidator(Set.of(RunDate.NAME),
					Set.of("items", JobShare.PART, JobShare.PARTS)))
			.start(countingStep)
			.build();
	}

	@Bean
	RunDate countingJobRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	@Bean
	Step countingStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, NumberReader reader,
			ItemProcessor<Integer, Integer> faultyProcessor, JdbcBatchItemWriter<Integer> sinkWriter) {
		return new StepBuilder("countingStep", jobRepository).<Integer, Integer>chunk(CHUNK_SIZE)
			.transactionManager(transactionManager)
			.reader(reader)
			.processor(faultyProcessor)
			.writer(sinkWriter)
			.build();
	}

	@Bean
	@StepScope
	NumberReader numberReader(@Value("#{jobParameters['items'] ?: '100'}") String items) {
		return new NumberReader(Integer.parseInt(items));
	}

	@Bean
	Faults testJobFaults(@Value("${ferry.test-job.fail-at:0}") int failAt,
			@Value("${ferry.test-job.item-delay:0ms}") Duration itemDelay) {
		return new Faults(new AtomicInteger(failAt), itemDelay);
	}

	@Bean
	ItemProcessor<Integer, Integer> faultyProcessor(Faults faults) {
		return item -> {
			if (item == faults.failAt().get()) {
				throw new IllegalStateException("Failing on purpose at item " + item,
						new java.io.IOException("simulated root cause at item " + item));
			}
			if (!faults.itemDelay().isZero()) {
				Thread.sleep(faults.itemDelay());
			}
			return item;
		};
	}

	@Bean
	JdbcBatchItemWriter<Integer> sinkWriter(DataSource dataSource) {
		return new JdbcBatchItemWriterBuilder<Integer>().dataSource(dataSource)
			.sql("INSERT INTO test_sink (item) VALUES (?)")
			.itemPreparedStatementSetter((item, statement) -> statement.setInt(1, item))
			.build();
	}

	/** The faults to inject; tests change failAt between runs of one context. */
	public record Faults(AtomicInteger failAt, Duration itemDelay) {
	}

}
