package dev.ferry.run;

import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import dev.ferry.common.batch.JobParameterDefaults;

import org.springframework.batch.core.converter.DefaultJobParametersConverter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Turns {@code name=value} arguments into job parameters. Every parameter is identifying
 * unless written in Spring Batch's long form {@code name=value,type,false}: identifying
 * parameters are the business identity of a run (a date, a table list), so that the same
 * command after a failure resumes the failed instance. The job then fills in its defaults
 * and types ({@link JobParameterDefaults}, e.g. {@code runDate}): the parser knows no
 * job's parameters.
 * <p>
 * Parameters are stored in clear text in the job repository, so names that look like
 * secrets are refused.
 */
public class JobParametersParser {

	private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(password|passwd|secret|token|credential|private.?key|access.?key).*");

	/**
	 * Spring Batch's long form: a value, a Java type, and optionally whether it
	 * identifies.
	 */
	private static final Pattern LONG_FORM = Pattern.compile(".*,java\\.[A-Za-z0-9_.]+(,(true|false))?");

	private final DefaultJobParametersConverter converter = new DefaultJobParametersConverter();

	private final List<JobParameterDefaults> defaults;

	/**
	 * @param defaults what the job to run fills in (its {@link JobParameterDefaults}
	 * beans)
	 */
	public JobParametersParser(List<JobParameterDefaults> defaults) {
		this.defaults = List.copyOf(defaults);
	}

	public JobParameters parse(List<String> arguments) {
		Properties properties = new Properties();
		for (String argument : arguments) {
			int equals = argument.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException(
						"Job parameter '" + argument + "' is not of the form name=value (e.g. runDate=2026-11-23)");
			}
			String name = argument.substring(0, equals);
			String value = argument.substring(equals + 1);
			if (!NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("Job parameter name '" + name
						+ "' must start with a letter and hold only letters, digits, '_', '.' and '-'");
			}
			if (SECRET_NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("Job parameter '" + name
						+ "' looks like a secret: job parameters are stored in clear text in the job repository."
						+ " Give secrets through the environment or a mounted file (see README, Configuration)");
			}
			if (properties.containsKey(name)) {
				throw new IllegalArgumentException("Job parameter '" + name + "' is given twice");
			}
			properties.setProperty(name, value);
		}
		// Spring Batch's converter reads every comma as "value,type,identifying": hand it
		// only the values
		// written in that long form, so that plain lists such as tables=a.b,c.d stay one
		// String
		Properties longForm = new Properties();
		JobParametersBuilder builder = new JobParametersBuilder();
		for (String name : properties.stringPropertyNames()) {
			String value = properties.getProperty(name);
			if (LONG_FORM.matcher(value).matches()) {
				longForm.setProperty(name, value);
			}
			else {
				builder.addString(name, value);
			}
		}
		builder.addJobParameters(this.converter.getJobParameters(longForm));
		JobParameters parameters = builder.toJobParameters();
		for (JobParameterDefaults jobDefaults : this.defaults) {
			parameters = jobDefaults.complete(parameters);
		}
		return parameters;
	}

}
