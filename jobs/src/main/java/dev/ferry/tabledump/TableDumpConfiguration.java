package dev.ferry.tabledump;

import java.util.List;

import dev.ferry.common.batch.FerrySteps;
import dev.ferry.common.batch.PartitionStatusAggregator;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.progress.ProgressReporter;
import dev.ferry.common.s3.ManagedBucket;
import dev.ferry.common.s3.S3Target;
import dev.ferry.config.FerryProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The table-dump job: PostgreSQL tables to {@code prefix/runDate/table.csv.gz}.
 * <ol>
 * <li>{@code checkSourceAndTarget}: every table exists and may be read, the bucket exists
 * and takes the credentials; nothing is uploaded before this passes.</li>
 * <li>{@code dumpTables}: one partition per table (step {@code dumpTable:schema.table}),
 * up to {@code ferry.table-dump.parallelism} at once; a restart reruns only the tables
 * that did not finish.</li>
 * <li>{@code writeManifest}: the manifest, the optional {@code pipeline_success.flag},
 * and the final {@code Success.}.</li>
 * </ol>
 * Present when its target bucket is configured, so that a Ferry deployed for another job
 * does not need table-dump's settings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ferry.table-dump.target", name = "bucket")
@EnableConfigurationProperties(TableDumpProperties.class)
public class TableDumpConfiguration {

	/** The job's name on the command line and in the job repository. */
	public static final String JOB_NAME = "tableDump";

	static final String WORKER_STEP = "dumpTable";

	/**
	 * Built on first use: the AWS SDK's client takes a second of every start-up, and
	 * 'ferry history' or 'ferry stop' need none.
	 */
	@Bean(destroyMethod = "close")
	@Lazy
	S3Target tableDumpTarget(TableDumpProperties properties) {
		return S3Target.open(properties.target(), properties.encryption(), "ferry.table-dump.target",
				"ferry.table-dump.encryption", properties.parallelism() + 2);
	}

	/** The bucket whose rules {@code bucket-check} and {@code bucket-setup} check. */
	@Bean
	ManagedBucket tableDumpBucket(ObjectProvider<S3Target> tableDumpTarget, TableDumpProperties properties) {
		return new ManagedBucket(JOB_NAME, tableDumpTarget::getObject, properties.expireDays(),
				"ferry.table-dump.expire-days");
	}

	/** runDate, today in ferry.zone when the command line leaves it out. */
	@Bean
	RunDate tableDumpRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	@Bean(destroyMethod = "close")
	SourceDatabase tableDumpSource(TableDumpProperties properties) {
		return new SourceDatabase(properties.source(), properties.parallelism() + 1);
	}

	@Bean(destroyMethod = "close")
	GzipCompressor tableDumpCompressor(TableDumpProperties properties) {
		return GzipCompressor.perCpu(properties.compressionLevel(), properties.deflate());
	}

	/**
	 * The check runs again on every restart; the manifest is written once every table is
	 * dumped.
	 */
	@Bean
	Job tableDump(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PreflightTasklet preflightTasklet, Step dumpTables, ManifestTasklet manifestTasklet) {
		return FerrySteps.job(JOB_NAME, jobRepository, new TableDumpParametersValidator(),
				FerrySteps.check("checkSourceAndTarget", jobRepository, transactionManager, preflightTasklet),
				dumpTables, FerrySteps.once("writeManifest", jobRepository, transactionManager, manifestTasklet));
	}

	@Bean
	@StepScope
	PreflightTasklet preflightTasklet(@Value("#{stepExecution}") StepExecution step, SourceDatabase source,
			S3Target target) {
		return new PreflightTasklet(TableShare.tables(step.getJobParameters()), source, target, folder(target, step));
	}

	/** The run date's folder, as this step's job instance writes it. */
	private static DumpFolder folder(S3Target target, StepExecution step) {
		JobExecution job = step.getJobExecution();
		return new DumpFolder(target, String.valueOf(job.getJobParameters().getParameter(RunDate.NAME).value()),
				job.getJobInstance(), job.getJobParameters());
	}

	@Bean
	Step dumpTables(JobRepository jobRepository, TablePartitioner tablePartitioner, Step dumpTable,
			TableDumpProperties properties) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("ferry-table-");
		// platform threads, at most parallelism of them: a table's thread reads its COPY
		// from PostgreSQL's socket in PgJDBC's 8 KiB reads, and on a virtual thread each
		// read that finds the socket empty parks it and goes through the poller (epoll)
		// and the scheduler; a platform thread just blocks in read(). bench/table-dump,
		// 5 M rows: the reading thread's CPU 1.2-1.3 s instead of 1.9-2.1 s, the
		// process's 6.4-6.9 s instead of 7.5-8.5 s, the same wall time (PostgreSQL's
		// scan is the pace)
		executor.setVirtualThreads(false);
		// as virtual threads were: a table's thread never keeps the JVM from exiting
		executor.setDaemon(true);
		executor.setConcurrencyLimit(properties.parallelism());
		return new StepBuilder("dumpTables", jobRepository).partitioner(WORKER_STEP, tablePartitioner)
			.step(dumpTable)
			.taskExecutor(executor)
			.gridSize(properties.parallelism())
			.aggregator(new PartitionStatusAggregator())
			.build();
	}

	@Bean
	@StepScope
	TablePartitioner tablePartitioner(@Value("#{stepExecution}") StepExecution step,
			ProgressReporter progressReporter) {
		List<TableName> names = TableShare.tables(step.getJobParameters());
		// the manager step's progress line says how many tables are done of how many
		progressReporter.progressOf(step).setPartitions(names.size());
		progressReporter.progressOf(step).setItemName("rows");
		return new TablePartitioner(names);
	}

	@Bean
	Step dumpTable(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			TableDumpTasklet tableDumpTasklet) {
		return FerrySteps.resumable(WORKER_STEP, jobRepository, transactionManager, tableDumpTasklet);
	}

	@Bean
	@StepScope
	TableDumpTasklet tableDumpTasklet(@Value("#{stepExecutionContext['table']}") String table,
			@Value("#{stepExecution}") StepExecution step, SourceDatabase source, S3Target target,
			GzipCompressor compressor, TableDumpProperties properties, ProgressReporter progressReporter) {
		TableName name = TableName.parse(table);
		DumpFolder folder = folder(target, step);
		return new TableDumpTasklet(name, folder.object(folder.tableKey(name)), source, compressor, properties, step,
				progressReporter.progressOf(step));
	}

	@Bean
	AbandonedDumpCleanup abandonedDumpCleanup(JobRepository jobRepository, ObjectProvider<S3Target> target) {
		return new AbandonedDumpCleanup(jobRepository, target);
	}

	@Bean
	@StepScope
	ManifestTasklet manifestTasklet(@Value("#{jobParameters['runDate']}") Object runDate,
			@Value("#{stepExecution}") StepExecution step, S3Target target, JobRepository jobRepository,
			TableDumpProperties properties) {
		return new ManifestTasklet(TableShare.tables(step.getJobParameters()), String.valueOf(runDate),
				folder(target, step), jobRepository, properties.pipelineSuccessFlag());
	}

}
