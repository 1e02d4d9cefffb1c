package dev.ferry.cli;

import dev.ferry.run.ExitCode;
import dev.ferry.run.RunOutcome;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints what a command did, on stdout when it went well and on stderr when it did not.
 */
final class Outcomes {

	private Outcomes() {
	}

	static int report(CommandSpec spec, RunOutcome outcome) {
		if (outcome.exitCode() == ExitCode.OK) {
			spec.commandLine().getOut().println(outcome.message());
			spec.commandLine().getOut().flush();
		}
		else {
			spec.commandLine().getErr().println("ferry: " + outcome.message());
			spec.commandLine().getErr().flush();
		}
		return outcome.exitCode().code();
	}

}
