package dev.ferry.mirror;

import dev.ferry.common.batch.NamedConfigurationParametersValidator;

/**
 * Refuses s3-mirror's parameters before anything runs: unknown names, a missing
 * {@code mirror}, a mirror that is not configured, and a share
 * ({@code part}/{@code parts}) that is not one.
 */
class MirrorParametersValidator extends NamedConfigurationParametersValidator {

	static final String MIRROR = "mirror";

	MirrorParametersValidator(MirrorEndpoints mirrors) {
		super(MIRROR, mirrors::names, mirrors::unknown, true);
	}

}
