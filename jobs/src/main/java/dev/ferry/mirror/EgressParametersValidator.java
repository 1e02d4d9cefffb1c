package dev.ferry.mirror;

import java.util.Set;

import dev.ferry.common.batch.RunDate;
import dev.ferry.common.batch.StrictJobParametersValidator;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Refuses s3Egress's parameters before anything runs: unknown names, a missing
 * {@code source}, and a source that is not configured.
 */
class EgressParametersValidator implements JobParametersValidator {

	static final String SOURCE = "source";

	private final JobParametersValidator names = new StrictJobParametersValidator(Set.of(RunDate.NAME, SOURCE),
			Set.of());

	private final EgressEndpoints endpoints;

	EgressParametersValidator(EgressEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.names.validate(parameters);
		String name = String.valueOf(parameters.getParameter(SOURCE).value());
		if (!this.endpoints.names().contains(name)) {
			throw new InvalidJobParametersException(SOURCE + ": " + this.endpoints.unknown(name));
		}
	}

}
