package dev.ferry.ingest;

import java.util.Set;

import dev.ferry.common.batch.StrictJobParametersValidator;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Refuses ingest's parameters before anything runs: unknown names, a missing
 * {@code source}, and a source that is not configured.
 */
class IngestParametersValidator implements JobParametersValidator {

	static final String SOURCE = "source";

	static final String RUN_DATE = "runDate";

	private final JobParametersValidator names = new StrictJobParametersValidator(Set.of(RUN_DATE, SOURCE), Set.of());

	private final IngestSources sources;

	IngestParametersValidator(IngestSources sources) {
		this.sources = sources;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.names.validate(parameters);
		JobParameter<?> source = parameters.getParameter(SOURCE);
		String name = String.valueOf(source.value());
		if (!this.sources.names().contains(name)) {
			throw new InvalidJobParametersException(SOURCE + ": " + this.sources.unknown(name));
		}
	}

}
