package dev.ferry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.ferry.common.batch.JobParameterDefaults;
import dev.ferry.common.crypto.NativeCrypto;
import dev.ferry.run.JobParametersParser;
import dev.ferry.run.JobRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true, description = {
		"Runs the job instance that the identifying parameters name.",
		"The same parameters after a failure or a stop resume that instance where it stopped; a run whose"
				+ " process was killed is recovered first. An instance that already completed is not run again.",
		"A job that takes a runDate defaults it to today in ferry.zone." })
class RunCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "<job>", description = "The job to run (see 'ferry jobs').")
	String job;

	@Parameters(index = "1..*", paramLabel = "name=value",
			description = { "Identifying job parameters, e.g. runDate=2026-11-23 tables=public.users.",
					"Spring Batch's long form name=value,type,false makes one non-identifying." })
	List<String> parameters = new ArrayList<>();

	private final CliContext context;

	RunCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		// the native crypto provider loads while Spring starts; the job awaits it
		NativeCrypto.start();
		JobRunner runner = this.context.bean(JobRunner.class);
		Job target = runner.job(this.job)
			.orElseThrow(() -> new CommandLine.ParameterException(this.spec.commandLine(), "Unknown job '" + this.job
					+ "'; this Ferry has: "
					+ (runner.jobNames().isEmpty() ? "none" : String.join(", ", runner.jobNames()))
					+ ". A job is there once it is configured (e.g. tableDump by ferry.table-dump.target.bucket)"));
		List<JobParameterDefaults> defaults = this.context.beans(JobParameterDefaults.class)
			.stream()
			.filter(jobDefaults -> jobDefaults.jobName().equals(this.job))
			.toList();
		JobParameters jobParameters;
		try {
			jobParameters = new JobParametersParser(defaults).parse(this.parameters);
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), ex.getMessage(), ex);
		}
		return Outcomes.report(this.context, this.spec, runner.run(target, jobParameters));
	}

}
