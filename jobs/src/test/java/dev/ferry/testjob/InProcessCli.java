package dev.ferry.testjob;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.ferry.cli.CliContext;
import dev.ferry.cli.FerryCli;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs Ferry's command line inside a test's Spring context, capturing what it prints.
 *
 * @param context the running application context the commands use
 */
public record InProcessCli(ConfigurableApplicationContext context) {

	public Result run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = FerryCli.execute(CliContext.of(this.context), new PrintWriter(out, true), new PrintWriter(err, true),
				args);
		return new Result(code, out.toString(), err.toString());
	}

	/** The CLI as a bean of a test's context (see {@link FerryJobTest}). */
	@TestConfiguration(proxyBeanMethods = false)
	static class CliBean {

		@org.springframework.context.annotation.Bean
		InProcessCli inProcessCli(ConfigurableApplicationContext context) {
			return new InProcessCli(context);
		}

	}

	/**
	 * What a command printed, and its exit code.
	 *
	 * @param exitCode the process exit code the command would give
	 * @param out standard output
	 * @param err standard error
	 */
	public record Result(int exitCode, String out, String err) {
	}

}
