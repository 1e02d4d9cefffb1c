package dev.ferry.mirror;

import java.time.Duration;

import dev.ferry.common.batch.FerrySteps;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.progress.ProgressReporter;
import dev.ferry.config.FerryProperties;
import dev.ferry.routes.RouteTable;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Routed egress (seed 001), the s3-mirror family's second job:
 * {@code ferry run s3Egress source=<name>} looks for {@code pipeline_success.flag}
 * objects under the configured source {@code ferry.s3-egress.sources.<name>}, and sends
 * the folder of each new one to the destinations of the routes in {@code ferry_route} (an
 * S3 bucket, through the mirror's copies, or a directory), once per flag.
 * <ol>
 * <li>{@code checkEgress}: the source, the routes with something to send and their
 * destinations are usable; flags without a route are logged; nothing is sent before this
 * passes ({@link EgressCheckTasklet}).</li>
 * <li>{@code sendPrefixes}: one flagged folder after another, resumable by key and, for
 * large objects to S3, by part; each recorded in {@code ferry_route_transfer} in the
 * transaction of its last chunk ({@link SendPrefixesTasklet}).</li>
 * </ol>
 * A job of its own rather than a mode of {@code s3Mirror}: its identity is a source, not
 * a mirror pair, its work list comes from the database, and it never compares with or
 * deletes from a destination. Present when at least one source is configured; the S3
 * destinations of its routes are buckets that {@code bucket-check} checks
 * ({@link EgressBuckets}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(MirrorsConfigured.EgressSourcesConfigured.class)
@EnableConfigurationProperties(S3EgressProperties.class)
public class S3EgressConfiguration {

	/** The job's name on the command line and in the job repository. */
	public static final String JOB_NAME = "s3Egress";

	/** The pause before the second attempt of a failed object; doubled for the third. */
	private static final Duration FIRST_RETRY_PAUSE = Duration.ofSeconds(1);

	@Bean(destroyMethod = "close")
	EgressEndpoints s3EgressEndpoints(S3EgressProperties properties) {
		return new EgressEndpoints(properties);
	}

	/** The S3 destinations of the routes, for bucket-check and bucket-setup. */
	@Bean
	EgressBuckets s3EgressBuckets(EgressEndpoints endpoints, RouteTable routeTable) {
		return new EgressBuckets(endpoints, routeTable);
	}

	@Bean
	TransferLedger routeTransferLedger(JdbcTemplate jdbcTemplate) {
		return new TransferLedger(jdbcTemplate);
	}

	/** runDate, today in ferry.zone when the command line leaves it out. */
	@Bean
	RunDate s3EgressRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	/** Routes and buckets are checked again on every restart. */
	@Bean
	Job s3Egress(JobRepository jobRepository, PlatformTransactionManager transactionManager, EgressEndpoints endpoints,
			EgressCheckTasklet egressCheckTasklet, SendPrefixesTasklet sendPrefixesTasklet) {
		return FerrySteps.job(JOB_NAME, jobRepository, new EgressParametersValidator(endpoints),
				FerrySteps.check("checkEgress", jobRepository, transactionManager, egressCheckTasklet),
				FerrySteps.resumable("sendPrefixes", jobRepository, transactionManager, sendPrefixesTasklet));
	}

	@Bean
	@StepScope
	EgressCheckTasklet egressCheckTasklet(@Value("#{jobParameters['source']}") String source, EgressEndpoints endpoints,
			RouteTable routeTable, TransferLedger ledger) {
		return new EgressCheckTasklet(source, new EgressCheckTasklet.Routing(endpoints, routeTable, ledger));
	}

	@Bean
	@StepScope
	SendPrefixesTasklet sendPrefixesTasklet(@Value("#{jobParameters['source']}") String source,
			@Value("#{stepExecution}") StepExecution step, EgressEndpoints endpoints, RouteTable routeTable,
			TransferLedger ledger, ProgressReporter progressReporter) {
		return new SendPrefixesTasklet(source, endpoints, routeTable, ledger, progressReporter.progressOf(step),
				new Attempts(FIRST_RETRY_PAUSE), step.getJobExecutionId());
	}

}
