package dev.ferry;

import dev.ferry.cli.FerryCli;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Ferry: scheduled, chunked, restartable jobs that move regulated data across network
 * boundaries. {@link #main} hands the command line to {@link FerryCli}, which starts
 * Spring only for the commands that need the job repository.
 */
@SpringBootApplication
public class FerryApplication {

	public static void main(String[] args) {
		System.exit(FerryCli.execute(args));
	}

}
