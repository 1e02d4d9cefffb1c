package dev.ferry.common.batch;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The business date of a run, {@code runDate}, for a job that takes one: an identifying
 * {@link LocalDate} parameter, today in the configured zone ({@code ferry.zone}) when the
 * command line leaves it out. Always a {@code LocalDate}, however it was given, so that
 * the same date names the same job instance.
 * <p>
 * Thread-safe.
 */
public final class RunDate implements JobParameterDefaults {

	/** The parameter's name. */
	public static final String NAME = "runDate";

	private final String jobName;

	private final Clock clock;

	/**
	 * @param jobName the job that takes a run date
	 * @param zone the time zone that decides which day today is
	 */
	public RunDate(String jobName, ZoneId zone) {
		this(jobName, Clock.system(zone));
	}

	RunDate(String jobName, Clock clock) {
		this.jobName = jobName;
		this.clock = clock;
	}

	@Override
	public String jobName() {
		return this.jobName;
	}

	@Override
	public JobParameters complete(JobParameters given) {
		JobParameter<?> runDate = given.getParameter(NAME);
		LocalDate date = (runDate != null) ? parse(String.valueOf(runDate.value())) : LocalDate.now(this.clock);
		return new JobParametersBuilder(given).addLocalDate(NAME, date).toJobParameters();
	}

	private static LocalDate parse(String value) {
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"Job parameter " + NAME + "='" + value + "' is not an ISO date such as 2026-11-23", ex);
		}
	}

}
