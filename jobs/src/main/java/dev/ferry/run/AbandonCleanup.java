package dev.ferry.run;

import java.util.List;

import org.springframework.batch.core.job.JobExecution;

/**
 * Cleans up what a job leaves behind when one of its executions is given up for good
 * ({@code ferry abandon}): for example the multipart uploads that a restart would have
 * continued. Runs under the instance's run lock, before the execution is marked
 * ABANDONED; a failure leaves the execution as it was, so the command can be repeated.
 */
public interface AbandonCleanup {

	/** The job whose executions this cleans up after. */
	String jobName();

	/**
	 * Cleans up after an execution that is about to be abandoned.
	 * @param execution the failed or stopped execution
	 * @return one line per thing cleaned up, for the operator
	 */
	List<String> cleanUp(JobExecution execution);

}
