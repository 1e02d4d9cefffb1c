package dev.ferry;

import dev.ferry.cli.FerryCli;
import dev.ferry.common.crypto.NativeCrypto;
import dev.ferry.run.ExitCode;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Ferry: scheduled, chunked, restartable jobs that move regulated data across network
 * boundaries. {@link #main} hands the command line to {@link FerryCli}, which starts
 * Spring only for the commands that need the job repository.
 */
@SpringBootApplication
public class FerryApplication {

	public static void main(String[] args) {
		// a wrong choice of crypto providers fails every command; the provider itself
		// loads only for the commands that run a job (see NativeCrypto)
		try {
			NativeCrypto.checkChoice();
		}
		catch (IllegalArgumentException ex) {
			System.err.println("ferry: " + ex.getMessage());
			System.exit(ExitCode.CONFIGURATION.code());
		}
		System.exit(FerryCli.execute(args));
	}

}
