package dev.ferry.config;

import javax.sql.DataSource;

import dev.ferry.common.batch.FerryListenersPostProcessor;
import dev.ferry.common.failure.FailureRecorder;
import dev.ferry.common.guard.RunGuard;
import dev.ferry.common.progress.ProgressReporter;

import dev.ferry.history.HistoryQueries;
import dev.ferry.run.AbandonCleanup;
import dev.ferry.run.JobRunner;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The machinery every job shares: the run guard on the job repository's database,
 * progress lines, and failure root causes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FerryProperties.class)
public class FerryConfiguration {

	@Bean
	RunGuard runGuard(DataSource dataSource) {
		return new RunGuard(dataSource);
	}

	@Bean
	ProgressReporter progressReporter(FerryProperties properties) {
		return new ProgressReporter(properties.progressInterval());
	}

	@Bean
	FailureRecorder failureRecorder(JdbcTemplate jdbcTemplate) {
		return new FailureRecorder(jdbcTemplate);
	}

	@Bean
	JobRunner jobRunner(ObjectProvider<Job> jobs, JobOperator jobOperator, JobRepository jobRepository,
			RunGuard runGuard, ObjectProvider<AbandonCleanup> cleanups, FerryProperties properties) {
		return new JobRunner(jobs.orderedStream().toList(), jobOperator, jobRepository, runGuard,
				cleanups.orderedStream().toList(), properties.runLockCheckInterval());
	}

	@Bean
	HistoryQueries historyQueries(JdbcTemplate jdbcTemplate) {
		return new HistoryQueries(jdbcTemplate);
	}

	@Bean
	static FerryListenersPostProcessor ferryListenersPostProcessor(ObjectProvider<ProgressReporter> progressReporter,
			ObjectProvider<FailureRecorder> failureRecorder) {
		return new FerryListenersPostProcessor(progressReporter, failureRecorder);
	}

}
