package dev.ferry.common.batch;

import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The parameters of a job that runs one of several configured things (a mirror, an ingest
 * source): {@code runDate} and one parameter naming the thing, nothing else (but
 * {@code part} and {@code parts} of a job that does shares, {@link JobShare}), and a name
 * that is configured. Refused before anything runs, as a usage error.
 */
public class NamedConfigurationParametersValidator implements JobParametersValidator {

	private final String parameter;

	private final Supplier<Set<String>> configured;

	private final Function<String, String> unknown;

	private final JobParametersValidator names;

	private final boolean shareable;

	/**
	 * @param parameter the parameter naming the configured thing, e.g. {@code mirror}
	 * @param configured the names configured
	 * @param unknown the message for a name that is not configured (it should list the
	 * configured ones and say where they are configured)
	 */
	public NamedConfigurationParametersValidator(String parameter, Supplier<Set<String>> configured,
			Function<String, String> unknown) {
		this(parameter, configured, unknown, false);
	}

	/**
	 * @param parameter the parameter naming the configured thing, e.g. {@code mirror}
	 * @param configured the names configured
	 * @param unknown the message for a name that is not configured (it should list the
	 * configured ones and say where they are configured)
	 * @param shareable whether the job takes {@code part} and {@code parts} and does only
	 * that share of the work
	 */
	public NamedConfigurationParametersValidator(String parameter, Supplier<Set<String>> configured,
			Function<String, String> unknown, boolean shareable) {
		this.parameter = parameter;
		this.configured = configured;
		this.unknown = unknown;
		this.shareable = shareable;
		this.names = new StrictJobParametersValidator(Set.of(RunDate.NAME, parameter),
				shareable ? JobShare.PARAMETERS : Set.of());
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.names.validate(parameters);
		JobParameter<?> named = parameters.getParameter(this.parameter);
		String name = String.valueOf(named.value());
		if (!this.configured.get().contains(name)) {
			throw new InvalidJobParametersException(this.parameter + ": " + this.unknown.apply(name));
		}
		if (this.shareable) {
			JobShare.validate(parameters);
		}
	}

}
