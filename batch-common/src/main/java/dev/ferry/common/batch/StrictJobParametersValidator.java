package dev.ferry.common.batch;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Accepts exactly the parameters a job declares. Spring Batch's
 * {@code DefaultJobParametersValidator} only logs a warning for an unknown parameter, and
 * a typo ({@code tabels=...}) then starts a new job instance with the wrong identity;
 * this one refuses it and names the parameters the job takes.
 * <p>
 * Thread-safe.
 */
public class StrictJobParametersValidator implements JobParametersValidator {

	private final Set<String> required;

	private final Set<String> optional;

	public StrictJobParametersValidator(Set<String> required, Set<String> optional) {
		this.required = new TreeSet<>(required);
		this.optional = new TreeSet<>(optional);
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		Set<String> names = new TreeSet<>();
		parameters.parameters().stream().map(JobParameter::name).forEach(names::add);
		Set<String> missing = new TreeSet<>(this.required);
		missing.removeAll(names);
		if (!missing.isEmpty()) {
			throw new InvalidJobParametersException("missing parameter(s) " + missing + describe());
		}
		Set<String> unknown = new TreeSet<>(names);
		unknown.removeAll(this.required);
		unknown.removeAll(this.optional);
		if (!unknown.isEmpty()) {
			throw new InvalidJobParametersException("unknown parameter(s) " + unknown + describe());
		}
	}

	private String describe() {
		return "; the job takes " + this.required + " (required) and " + this.optional + " (optional)";
	}

}
