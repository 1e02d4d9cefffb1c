package dev.ferry.testjob;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import dev.ferry.common.batch.PartitionStatusAggregator;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.batch.StrictJobParametersValidator;
import dev.ferry.config.FerryProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A test-only job shaped like table-dump's {@code dumpTables}: a partitioned step whose
 * partitions run on virtual threads of a {@link SimpleAsyncTaskExecutor} with a
 * concurrency limit. Partition {@code n} of {@value #PARTITIONS} inserts the numbers
 * {@code 10(n-1)+1} to {@code 10n} into {@code test_sink}.
 * <p>
 * With {@code ferry.test-job.error-in-partition=n}, partition {@code n} dies of an
 * OutOfMemoryError the way a table-dump partition does on a row too wide for the heap
 * (see {@link PartitionTasklet}), and is then stuck for good.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("ferry.test-job.enabled")
public class PartitionedJobConfiguration {

	public static final String JOB_NAME = "partitionedJob";

	public static final int PARTITIONS = 3;

	static final String WORKER_STEP = "partitionWorker";

	@Bean
	Job partitionedJob(JobRepository jobRepository, Step partitionedStep) {
		return new JobBuilder(JOB_NAME, jobRepository)
			.validator(new StrictJobParametersValidator(Set.of(RunDate.NAME), Set.of()))
			.start(partitionedStep)
			.build();
	}

	@Bean
	RunDate partitionedJobRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	@Bean
	Step partitionedStep(JobRepository jobRepository, Step partitionWorker) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("test-partition-");
		executor.setVirtualThreads(true);
		executor.setConcurrencyLimit(2);
		return new StepBuilder("partitionedStep", jobRepository).partitioner(WORKER_STEP, gridSize -> partitions())
			.step(partitionWorker)
			.taskExecutor(executor)
			.gridSize(PARTITIONS)
			.aggregator(new PartitionStatusAggregator())
			.build();
	}

	private static Map<String, ExecutionContext> partitions() {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (int partition = 1; partition <= PARTITIONS; partition++) {
			ExecutionContext context = new ExecutionContext();
			context.putInt(PartitionTasklet.PARTITION, partition);
			partitions.put("partition" + partition, context);
		}
		return partitions;
	}

	@Bean
	Step partitionWorker(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PartitionTasklet partitionTasklet) {
		return new StepBuilder(WORKER_STEP, jobRepository).tasklet(partitionTasklet, transactionManager)
			.stream(partitionTasklet)
			.build();
	}

	@Bean
	@StepScope
	PartitionTasklet partitionTasklet(@Value("#{stepExecutionContext['partition']}") Integer partition,
			DataSource dataSource, @Value("${ferry.test-job.error-in-partition:0}") int errorInPartition) {
		return new PartitionTasklet(partition, dataSource, partition == errorInPartition);
	}

}
