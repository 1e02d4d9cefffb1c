package dev.ferry.ingest;

import dev.ferry.common.batch.NamedConfigurationParametersValidator;

/**
 * Refuses ingest's parameters before anything runs: unknown names, a missing
 * {@code source}, a source that is not configured, and a share
 * ({@code part}/{@code parts}) that is not one.
 */
class IngestParametersValidator extends NamedConfigurationParametersValidator {

	static final String SOURCE = "source";

	IngestParametersValidator(IngestSources sources) {
		super(SOURCE, sources::names, sources::unknown, true);
	}

}
