package dev.ferry.mirror;

import java.time.Duration;

import dev.ferry.common.batch.FerrySteps;
import dev.ferry.common.batch.JobShare;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.progress.ProgressReporter;
import dev.ferry.config.FerryProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
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
 * The s3-mirror job: {@code ferry run s3Mirror mirror=<name>} mirrors the configured pair
 * {@code ferry.s3-mirror.mirrors.<name>}, like {@code mc mirror}.
 * <ol>
 * <li>{@code checkMirror}: both buckets exist and take their credentials; nothing is
 * written before this passes.</li>
 * <li>{@code copyObjects}: merge-joins the two listings and copies what is new or
 * changed, resumable by key and, for large objects, by part
 * ({@link CopyObjectsTasklet}).</li>
 * <li>{@code removeExtra}: after a copy without errors, deletes (when configured, and
 * within the cap) what only the target has, and logs the totals
 * ({@link RemoveExtraTasklet}).</li>
 * </ol>
 * With {@code part} and {@code parts} (a Kubernetes Indexed Job) a run mirrors only its
 * share of the keys ({@link KeyFilter}).
 * <p>
 * Present when at least one mirror is configured; each mirror's target is a bucket that
 * {@code bucket-check} checks ({@link MirrorBucketRegistrar}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(MirrorsConfigured.class)
@EnableConfigurationProperties(S3MirrorProperties.class)
@Import(MirrorBucketRegistrar.class)
public class S3MirrorConfiguration {

	/** The job's name on the command line and in the job repository. */
	public static final String JOB_NAME = "s3Mirror";

	static final String COPY_STEP = "copyObjects";

	/** The pause before the second attempt of a failed copy; doubled for the third. */
	private static final Duration FIRST_RETRY_PAUSE = Duration.ofSeconds(1);

	@Bean(destroyMethod = "close")
	MirrorEndpoints s3MirrorEndpoints(S3MirrorProperties properties) {
		return new MirrorEndpoints(properties);
	}

	/** runDate, today in ferry.zone when the command line leaves it out. */
	@Bean
	RunDate s3MirrorRunDate(FerryProperties ferry) {
		return new RunDate(JOB_NAME, ferry.zone());
	}

	/** Both buckets are checked again on every restart; deletes follow a clean copy. */
	@Bean
	Job s3Mirror(JobRepository jobRepository, PlatformTransactionManager transactionManager, MirrorEndpoints endpoints,
			MirrorCheckTasklet mirrorCheckTasklet, CopyObjectsTasklet copyObjectsTasklet,
			RemoveExtraTasklet removeExtraTasklet) {
		Step check = FerrySteps.check("checkMirror", jobRepository, transactionManager, mirrorCheckTasklet);
		Step copyObjects = FerrySteps.resumable(COPY_STEP, jobRepository, transactionManager, copyObjectsTasklet);
		Step removeExtra = FerrySteps.once("removeExtra", jobRepository, transactionManager, removeExtraTasklet);
		return FerrySteps.job(JOB_NAME, jobRepository, new MirrorParametersValidator(endpoints), check, copyObjects,
				removeExtra);
	}

	@Bean
	@StepScope
	MirrorCheckTasklet mirrorCheckTasklet(@Value("#{jobParameters['mirror']}") String mirror,
			MirrorEndpoints endpoints) {
		return new MirrorCheckTasklet(endpoints.mirror(mirror));
	}

	@Bean
	@StepScope
	CopyObjectsTasklet copyObjectsTasklet(@Value("#{jobParameters['mirror']}") String mirror,
			@Value("#{stepExecution}") StepExecution step, MirrorEndpoints endpoints, ProgressReporter progressReporter,
			JdbcTemplate jdbcTemplate) {
		MirrorPair pair = endpoints.mirror(mirror);
		MirrorSkips skips = new MirrorSkips(pair, new SkippedObjects(jdbcTemplate),
				new SkippedObjects.Where(step.getJobExecutionId(), step.getStepName(), mirror));
		return new CopyObjectsTasklet(pair, JobShare.of(step.getJobParameters()), progressReporter.progressOf(step),
				new Attempts(FIRST_RETRY_PAUSE), skips);
	}

	@Bean
	@StepScope
	RemoveExtraTasklet removeExtraTasklet(@Value("#{jobParameters['mirror']}") String mirror,
			@Value("#{stepExecution}") StepExecution step, MirrorEndpoints endpoints, JobRepository jobRepository) {
		return new RemoveExtraTasklet(endpoints.mirror(mirror), JobShare.of(step.getJobParameters()), jobRepository);
	}

}
