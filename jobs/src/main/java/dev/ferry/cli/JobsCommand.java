package dev.ferry.cli;

import java.util.concurrent.Callable;

import dev.ferry.run.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists the jobs this Ferry can run.")
class JobsCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	private final CliContext context;

	JobsCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		this.context.bean(JobRunner.class).jobNames().forEach(this.spec.commandLine().getOut()::println);
		this.spec.commandLine().getOut().flush();
		return 0;
	}

}
