package dev.ferry.ingest;

import dev.ferry.common.progress.ProgressReporter;
import dev.ferry.common.scan.ClamdClient;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The ingest job: {@code ferry run ingest source=<name>} takes the files of the
 * configured source {@code ferry.ingest.sources.<name>} through clamd into S3, or into
 * quarantine.
 * <ol>
 * <li>{@code checkIngest}: the fail-closed scanner check, the directories, the source
 * (SFTP host key) and the bucket; nothing moves before this passes
 * ({@link CheckIngestTasklet}).</li>
 * <li>{@code listFiles}: every file version not yet in the ledger is recorded, or
 * rejected ({@link ListFilesTasklet}).</li>
 * <li>{@code ingestFiles}: the ledger's rows are worked off, one transition per chunk
 * ({@link IngestFilesTasklet}).</li>
 * </ol>
 * Present when at least one source is configured; each source's bucket is one that
 * {@code bucket-check} checks ({@link IngestBucketRegistrar}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SourcesConfigured.class)
@EnableConfigurationProperties(IngestProperties.class)
@Import(IngestBucketRegistrar.class)
public class IngestConfiguration {

	/** The job's name on the command line and in the job repository. */
	public static final String JOB_NAME = "ingest";

	@Bean(destroyMethod = "close")
	IngestSources ingestSources(IngestProperties properties) {
		return new IngestSources(properties);
	}

	@Bean
	ClamdClient ingestScanner(IngestProperties properties) {
		IngestProperties.Scanner scanner = properties.scanner();
		return new ClamdClient(scanner.host(), scanner.port(), scanner.connectTimeout(), scanner.readTimeout());
	}

	@Bean
	Ledger ingestLedger(JdbcTemplate jdbcTemplate) {
		return new Ledger(jdbcTemplate);
	}

	@Bean
	Job ingest(JobRepository jobRepository, IngestSources sources, Step checkIngest, Step listFiles, Step ingestFiles) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(new IngestParametersValidator(sources))
			.start(checkIngest)
			.next(listFiles)
			.next(ingestFiles)
			.build();
	}

	@Bean
	Step checkIngest(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			CheckIngestTasklet checkIngestTasklet) {
		return new StepBuilder("checkIngest", jobRepository).tasklet(checkIngestTasklet, transactionManager)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	CheckIngestTasklet checkIngestTasklet(@Value("#{jobParameters['source']}") String source, IngestSources sources,
			ClamdClient ingestScanner, IngestProperties properties) {
		return new CheckIngestTasklet(sources.source(source), ingestScanner,
				properties.scanner().maxScanSize().toBytes());
	}

	@Bean
	Step listFiles(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ListFilesTasklet listFilesTasklet) {
		// again on a restart: files that arrived since are taken too
		return new StepBuilder("listFiles", jobRepository).tasklet(listFilesTasklet, transactionManager)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	ListFilesTasklet listFilesTasklet(@Value("#{jobParameters['source']}") String source,
			@Value("#{stepExecution}") StepExecution step, IngestSources sources, Ledger ledger) {
		return new ListFilesTasklet(sources.source(source), ledger, step.getJobExecutionId());
	}

	@Bean
	Step ingestFiles(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			IngestFilesTasklet ingestFilesTasklet) {
		return new StepBuilder("ingestFiles", jobRepository).tasklet(ingestFilesTasklet, transactionManager)
			.stream(ingestFilesTasklet)
			.build();
	}

	@Bean
	@StepScope
	IngestFilesTasklet ingestFilesTasklet(@Value("#{jobParameters['source']}") String source,
			@Value("#{stepExecution}") StepExecution step, IngestSources sources, Ledger ledger,
			ClamdClient ingestScanner, IngestProperties properties, ProgressReporter progressReporter) {
		return new IngestFilesTasklet(sources.source(source), ledger, ingestScanner,
				properties.scanner().maxScanSize().toBytes(), step.getJobExecutionId(),
				progressReporter.progressOf(step));
	}

}
