package dev.ferry.common.failure;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Records the root cause of every failed step (and of a job that failed outside its
 * steps) in {@code ferry_execution_failure}, when the job ends FAILED or UNKNOWN. Spring
 * Batch keeps only the first 2500 characters of a stack trace in EXIT_MESSAGE, which
 * usually cuts off the "Caused by" that explains the failure; this table keeps it for
 * {@code ferry show} and the history views.
 * <p>
 * Thread-safe: it only writes through a {@link JdbcTemplate}.
 */
public class FailureRecorder implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(FailureRecorder.class);

	private static final String UPSERT = """
			INSERT INTO ferry_execution_failure (job_execution_id, step_name, root_cause) VALUES (?, ?, ?)
			ON CONFLICT (job_execution_id, step_name) DO UPDATE SET root_cause = excluded.root_cause""";

	private final JdbcTemplate jdbcTemplate;

	public FailureRecorder(JdbcTemplate jdbcTemplate) {
		Assert.notNull(jdbcTemplate, "'jdbcTemplate' must not be null");
		this.jdbcTemplate = jdbcTemplate;
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		// UNKNOWN: a repository write failed under the run; its cause is worth as much
		if (jobExecution.getStatus() != BatchStatus.FAILED && jobExecution.getStatus() != BatchStatus.UNKNOWN) {
			return;
		}
		List<String> causes = new ArrayList<>();
		List<String> managerCauses = new ArrayList<>();
		for (StepExecution step : jobExecution.getStepExecutions()) {
			String rootCause = record(jobExecution, step.getStepName(), step.getFailureExceptions());
			if (rootCause != null) {
				String line = "Step '" + step.getStepName() + "' failed: " + rootCause;
				(isPartitionManager(step) ? managerCauses : causes).add(line);
			}
		}
		record(jobExecution, "", jobExecution.getFailureExceptions());
		causes.addAll(managerCauses);
		if (!causes.isEmpty()) {
			// the job's exit message is what 'ferry history' shows first: the step that
			// failed and why, not a partitioned step's "Partition handler returned an
			// unsuccessful step" above the stack trace
			ExitStatus exitStatus = jobExecution.getExitStatus();
			jobExecution.setExitStatus(new ExitStatus(exitStatus.getExitCode(),
					String.join("; ", causes) + "\n" + exitStatus.getExitDescription()));
		}
	}

	/** A partitioned step fails for its partitions, whose own causes come first. */
	private static boolean isPartitionManager(StepExecution step) {
		return step.getFailureExceptions()
			.stream()
			.anyMatch(failure -> String.valueOf(failure.getMessage())
				.contains("Partition handler returned an unsuccessful step"));
	}

	/** Records the root cause of a failure, if any; returns it. */
	private @Nullable String record(JobExecution jobExecution, String stepName, List<Throwable> failures) {
		if (failures.isEmpty()) {
			return null;
		}
		String rootCause = RootCause.describe(failures.getFirst());
		this.jdbcTemplate.update(UPSERT, jobExecution.getId(), stepName, rootCause);
		logger.error("Job '{}' execution {}{} failed: {}", jobExecution.getJobInstance().getJobName(),
				jobExecution.getId(), stepName.isEmpty() ? "" : " step '" + stepName + "'", rootCause);
		return rootCause;
	}

}
