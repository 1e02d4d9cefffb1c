package dev.ferry.mirror;

import java.util.Set;

import dev.ferry.common.batch.RunDate;
import dev.ferry.common.batch.StrictJobParametersValidator;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Refuses s3-mirror's parameters before anything runs: unknown names, a missing
 * {@code mirror}, and a mirror that is not configured.
 */
class MirrorParametersValidator implements JobParametersValidator {

	static final String MIRROR = "mirror";

	private final JobParametersValidator names = new StrictJobParametersValidator(Set.of(RunDate.NAME, MIRROR),
			Set.of());

	private final MirrorEndpoints mirrors;

	MirrorParametersValidator(MirrorEndpoints mirrors) {
		this.mirrors = mirrors;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.names.validate(parameters);
		JobParameter<?> mirror = parameters.getParameter(MIRROR);
		String name = String.valueOf(mirror.value());
		if (!this.mirrors.names().contains(name)) {
			throw new InvalidJobParametersException(MIRROR + ": " + this.mirrors.unknown(name));
		}
	}

}
