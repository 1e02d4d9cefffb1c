package dev.ferry.common.batch;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * What a job fills in among the parameters of a run before they are validated: a default
 * for a parameter the command line left out, the type of one it gave as text. A job with
 * such parameters contributes one as a bean (see {@link RunDate}), so that the command
 * line knows no job's parameters.
 */
public interface JobParameterDefaults {

	/** The job whose parameters this completes. */
	String jobName();

	/**
	 * Completes the parameters of a run of {@link #jobName()}.
	 * @param given the parameters as the command line gave them: text, or typed in Spring
	 * Batch's long form
	 * @return the parameters to run with
	 * @throws IllegalArgumentException for a value the job cannot read (a usage error)
	 */
	JobParameters complete(JobParameters given);

}
