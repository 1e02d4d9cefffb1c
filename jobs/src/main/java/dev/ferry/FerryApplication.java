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
		// loads while Spring starts; a job awaits it before it moves a byte (see
		// NativeCrypto)
		try {
			NativeCrypto.start();
		}
		catch (IllegalArgumentException ex) {
			System.err.println("ferry: " + ex.getMessage());
			System.exit(ExitCode.CONFIGURATION.code());
		}
		System.exit(FerryCli.execute(args));
	}

}
