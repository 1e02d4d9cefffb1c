package dev.ferry.ingest;

import dev.ferry.common.batch.FerrySteps;
import dev.ferry.common.batch.JobShare;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.progress.ProgressReporter;
import dev.ferry.common.scan.ClamdClient;
import dev.ferry.config.FerryProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
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
 * <li>{@code ingestFiles}: the ledger's rows are worked off, several files at once, each
 * transition of a file in a transaction of its own ({@link IngestFilesTasklet}).</li>
 * </ol>
 * With {@code part} and {@code parts} (a Kubernetes Indexed Job) a run lists and ingests
 * only its share of the files ({@link Ledger#within}).
 * <p>
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

	/** runDate, today in ferry.zone when the command line leaves it out. */
	@Bean
	RunDate ingestRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	/**
	 * The scanner and the source are checked, and the source listed, on every start and
	 * restart: files that arrived since are taken too.
	 */
	@Bean
	Job ingest(JobRepository jobRepository, PlatformTransactionManager transactionManager, IngestSources sources,
			CheckIngestTasklet checkIngestTasklet, ListFilesTasklet listFilesTasklet,
			IngestFilesTasklet ingestFilesTasklet) {
		return FerrySteps.job(JOB_NAME, jobRepository, new IngestParametersValidator(sources),
				FerrySteps.check("checkIngest", jobRepository, transactionManager, checkIngestTasklet),
				FerrySteps.check("listFiles", jobRepository, transactionManager, listFilesTasklet),
				FerrySteps.resumable("ingestFiles", jobRepository, transactionManager, ingestFilesTasklet));
	}

	@Bean
	@StepScope
	CheckIngestTasklet checkIngestTasklet(@Value("#{jobParameters['source']}") String source, IngestSources sources,
			ClamdClient ingestScanner, IngestProperties properties) {
		return new CheckIngestTasklet(sources.source(source), ingestScanner,
				properties.scanner().maxScanSize().toBytes());
	}

	@Bean
	@StepScope
	ListFilesTasklet listFilesTasklet(@Value("#{jobParameters['source']}") String source,
			@Value("#{stepExecution}") StepExecution step, IngestSources sources, Ledger ledger) {
		return new ListFilesTasklet(sources.source(source), ledger.within(JobShare.of(step.getJobParameters())),
				step.getJobExecutionId());
	}

	@Bean
	@StepScope
	IngestFilesTasklet ingestFilesTasklet(@Value("#{jobParameters['source']}") String source,
			@Value("#{stepExecution}") StepExecution step, IngestSources sources, Ledger ledger,
			ClamdClient ingestScanner, IngestProperties properties, ProgressReporter progressReporter,
			PlatformTransactionManager transactionManager) {
		return new IngestFilesTasklet(sources.source(source), ledger.within(JobShare.of(step.getJobParameters())),
				ingestScanner, properties.scanner().maxScanSize().toBytes(), step.getJobExecutionId(),
				progressReporter.progressOf(step), transactionManager);
	}

}
