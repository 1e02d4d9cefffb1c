package dev.ferry.cli;

import dev.ferry.common.crypto.NativeCrypto;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
class FerryVersion implements IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = FerryVersion.class.getPackage().getImplementationVersion();
		return new String[] { "ferry " + ((version != null) ? version : "(development build)"),
				"Java " + Runtime.version(), "Crypto: " + NativeCrypto.await().description() };
	}

}
