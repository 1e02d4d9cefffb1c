package dev.ferry.mirror;

import dev.ferry.common.batch.NamedConfigurationParametersValidator;

/**
 * Refuses s3Egress's parameters before anything runs: unknown names, a missing
 * {@code source}, and a source that is not configured.
 */
class EgressParametersValidator extends NamedConfigurationParametersValidator {

	static final String SOURCE = "source";

	EgressParametersValidator(EgressEndpoints endpoints) {
		super(SOURCE, endpoints::names, endpoints::unknown);
	}

}
