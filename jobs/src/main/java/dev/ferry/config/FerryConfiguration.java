package dev.ferry.config;

import javax.sql.DataSource;

import dev.ferry.common.batch.FerryListenersPostProcessor;
import dev.ferry.common.batch.ResumeNote;
import dev.ferry.common.batch.RepositoryRetryPostProcessor;
import dev.ferry.common.failure.FailureRecorder;
import dev.ferry.common.fatal.WorkerErrors;
import dev.ferry.common.guard.RunGuard;
import dev.ferry.common.progress.ProgressReporter;

import dev.ferry.history.HistoryQueries;
import dev.ferry.run.AbandonCleanup;
import dev.ferry.run.ExecutionControl;
import dev.ferry.run.ExecutionStates;
import dev.ferry.run.JobRunner;
import dev.ferry.run.LockedExecutions;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The machinery every job shares: the run guard on the job repository's database, a job
 * repository that retries its writes when its connection fails, progress lines, Errors of
 * worker threads, and failure root causes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FerryProperties.class)
public class FerryConfiguration {

	@Bean
	RunGuard runGuard(DataSource dataSource) {
		return new RunGuard(dataSource);
	}

	@Bean
	WorkerErrors workerErrors() {
		return new WorkerErrors();
	}

	@Bean
	ProgressReporter progressReporter(FerryProperties properties, WorkerErrors workerErrors,
			ObjectProvider<MeterRegistry> meterRegistry) {
		// the items and bytes of each step, pushed with Spring Batch's meters
		MeterRegistry registry = meterRegistry.getIfAvailable();
		return (registry != null) ? new ProgressReporter(properties.progressInterval(), workerErrors, registry)
				: new ProgressReporter(properties.progressInterval(), workerErrors);
	}

	@Bean
	FailureRecorder failureRecorder(JdbcTemplate jdbcTemplate) {
		return new FailureRecorder(jdbcTemplate);
	}

	@Bean
	LockedExecutions lockedExecutions(RunGuard runGuard, JobRepository jobRepository) {
		return new LockedExecutions(runGuard, jobRepository);
	}

	@Bean
	ExecutionStates executionStates(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new ExecutionStates(jobRepository, transactionManager);
	}

	@Bean
	JobRunner jobRunner(ObjectProvider<Job> jobs, JobOperator jobOperator, JobRepository jobRepository,
			LockedExecutions lockedExecutions, ExecutionStates executionStates, WorkerErrors workerErrors,
			FerryProperties properties) {
		return new JobRunner(jobs.orderedStream().toList(), jobOperator, jobRepository, lockedExecutions,
				executionStates, workerErrors, properties.runLockCheckInterval());
	}

	@Bean
	ExecutionControl executionControl(LockedExecutions lockedExecutions, ExecutionStates executionStates,
			ObjectProvider<AbandonCleanup> cleanups) {
		return new ExecutionControl(lockedExecutions, executionStates, cleanups.orderedStream().toList());
	}

	@Bean
	HistoryQueries historyQueries(JdbcTemplate jdbcTemplate) {
		return new HistoryQueries(jdbcTemplate);
	}

	@Bean
	static FerryListenersPostProcessor ferryListenersPostProcessor(ObjectProvider<ProgressReporter> progressReporter,
			ObjectProvider<WorkerErrors> workerErrors, ObjectProvider<FailureRecorder> failureRecorder,
			ObjectProvider<ResumeNote> resumeNote) {
		return new FerryListenersPostProcessor(progressReporter, workerErrors, failureRecorder, resumeNote);
	}

	@Bean
	ResumeNote resumeNote(JobRepository jobRepository) {
		return new ResumeNote(jobRepository);
	}

	@Bean
	static RepositoryRetryPostProcessor repositoryRetryPostProcessor() {
		return new RepositoryRetryPostProcessor();
	}

}
