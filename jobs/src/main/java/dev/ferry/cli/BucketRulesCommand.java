package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.ferry.common.s3.BucketAccessException;
import dev.ferry.common.s3.BucketReport;
import dev.ferry.common.s3.BucketRules;
import dev.ferry.common.s3.ManagedBucket;
import dev.ferry.common.s3.ManagedBuckets;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.run.ExitCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code bucket-check} and {@code bucket-setup} share: the buckets the configured
 * jobs write to ({@link ManagedBucket} beans, and those that {@link ManagedBuckets} beans
 * read from the jobs' tables, such as the S3 destinations of routes), the report, and
 * failures turned into one line that names the property to fix.
 */
final class BucketRulesCommand {

	private static final Logger logger = LoggerFactory.getLogger(BucketRulesCommand.class);

	static final String NOT_CONFIGURED = "no job that writes to a bucket is configured, so there is no bucket to"
			+ " check: configure a job's target, e.g. ferry.table-dump.target.bucket (FERRY_TABLEDUMP_TARGET_BUCKET)"
			+ " with its endpoint and access-key-id/secret-access-key";

	private BucketRulesCommand() {
	}

	/**
	 * Runs an action on the target bucket's rules and prints its lines and the check that
	 * follows.
	 * @param action what to do before the check (nothing for bucket-check); returns the
	 * lines to print
	 * @return the exit code: 0 when every bucket complies, 1 when one does not or the
	 * store failed, 6 when the configuration is missing or wrong
	 */
	static int run(CommandSpec spec, CliContext context, @Nullable Integer expireDaysOption, @Nullable String job,
			Function<Action, List<String>> action) {
		if (expireDaysOption != null && expireDaysOption < 1) {
			throw new CommandLine.ParameterException(spec.commandLine(),
					"--expire-days must be at least 1, not " + expireDaysOption);
		}
		PrintWriter err = spec.commandLine().getErr();
		List<ManagedBucket> buckets = Stream
			.concat(context.beans(ManagedBucket.class).stream(),
					context.beans(ManagedBuckets.class).stream().flatMap(some -> some.buckets().stream()))
			.filter(bucket -> job == null || bucket.job().equals(job))
			.toList();
		if (buckets.isEmpty()) {
			return Outcomes.error(context, err, ExitCode.CONFIGURATION,
					(job == null) ? NOT_CONFIGURED : "job '" + job + "' writes to no configured bucket");
		}
		int exitCode = 0;
		for (ManagedBucket bucket : buckets) {
			exitCode = Math.max(exitCode, runOn(spec, context, bucket, expireDaysOption, action));
		}
		return exitCode;
	}

	private static int runOn(CommandSpec spec, CliContext context, ManagedBucket bucket,
			@Nullable Integer expireDaysOption, Function<Action, List<String>> action) {
		PrintWriter out = spec.commandLine().getOut();
		PrintWriter err = spec.commandLine().getErr();
		S3Target target = bucket.target().get();
		String property = target.property();
		int expireDays = (expireDaysOption != null) ? expireDaysOption : bucket.expireDays();
		BucketRules rules = new BucketRules(target.client(), target.location(), target.encryption());
		String where = target.location().uri(rules.targetPrefix()) + " at " + target.location().displayEndpoint();
		try {
			for (String line : action.apply(new Action(rules, expireDays, where))) {
				say(context, out, line);
			}
			BucketReport report = rules.check(expireDays);
			say(context, out, "Rules of " + where + " (objects expire within " + expireDays + " days):");
			for (String line : report.lines()) {
				say(context, out, "  " + line);
			}
			out.flush();
			if (report.compliant()) {
				return Outcomes.ok(context, out, "COMPLIANT");
			}
			return Outcomes.error(context, err, ExitCode.FAILED, "NOT COMPLIANT: " + remedy(report, target));
		}
		catch (BucketAccessException ex) {
			out.flush();
			return switch (ex.problem()) {
				case NO_SUCH_BUCKET -> Outcomes.error(context, err, ExitCode.CONFIGURATION,
						ex.getMessage() + " (create it, or fix " + property + ".bucket)");
				case CREDENTIALS_REFUSED -> Outcomes.error(context, err, ExitCode.CONFIGURATION, ex.getMessage()
						+ " (fix " + property + ".access-key-id and " + property + ".secret-access-key)");
				case ENDPOINT_UNREACHABLE -> Outcomes.error(context, err, ExitCode.CONFIGURATION,
						ex.getMessage() + " (check " + property + ".endpoint)");
				case ACCESS_DENIED, FAILED -> Outcomes.error(context, err, ExitCode.FAILED, ex.getMessage());
			};
		}
	}

	private static String remedy(BucketReport report, S3Target target) {
		if (report.encryption().compliant() && !report.encryptedAtRest()) {
			String encryption = "the store does not encrypt what Ferry writes (see the probe line): set "
					+ target.encryptionProperty() + ".algorithm to one the store applies (on Ceph RGW: AWS_KMS with a"
					+ " kms-key-id)";
			return report.expiry().compliant() ? encryption : encryption + ", and run 'ferry bucket-setup'";
		}
		if (report.encryption().state() == BucketReport.DefaultEncryption.State.NOT_SUPPORTED
				&& report.encryption().objectEncryption().algorithm() == ServerSideEncryption.Algorithm.NONE) {
			String encryption = "this store has no default encryption, so set " + target.encryptionProperty()
					+ ".algorithm to AES256 (or AWS_KMS with a kms-key-id)";
			return report.expiry().compliant() ? encryption : encryption + ", and run 'ferry bucket-setup'";
		}
		return "run 'ferry bucket-setup' to apply the rules";
	}

	/**
	 * A line of the report: printed, or with JSON logs a log event like every other line.
	 */
	private static void say(CliContext context, PrintWriter out, String line) {
		if (context.logsStructured()) {
			logger.info("{}", line);
		}
		else {
			out.println(line);
		}
	}

	/**
	 * What a command works on.
	 *
	 * @param rules the target bucket's rules
	 * @param expireDays the expiry to check or apply
	 * @param where the bucket, prefix and endpoint, for messages
	 */
	record Action(BucketRules rules, int expireDays, String where) {

	}

}
