package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.ferry.common.s3.BucketAccessException;
import dev.ferry.common.s3.BucketReport;
import dev.ferry.common.s3.BucketRules;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.run.ExitCode;
import dev.ferry.tabledump.TableDumpProperties;
import dev.ferry.tabledump.TableDumpTarget;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code bucket-check} and {@code bucket-setup} share: table-dump's target bucket
 * from the configuration, the report, and failures turned into one line that names the
 * property to fix.
 */
final class TableDumpBucket {

	private static final Logger logger = LoggerFactory.getLogger(TableDumpBucket.class);

	static final String NOT_CONFIGURED = "table-dump is not configured, so there is no target bucket to check:"
			+ " set ferry.table-dump.target.bucket (FERRY_TABLEDUMP_TARGET_BUCKET), ferry.table-dump.target.endpoint"
			+ " and ferry.table-dump.source.url, and the target's access-key-id/secret-access-key";

	private static final String TARGET = "ferry.table-dump.target";

	private TableDumpBucket() {
	}

	/**
	 * Runs an action on the target bucket's rules and prints its lines and the check that
	 * follows.
	 * @param action what to do before the check (nothing for bucket-check); returns the
	 * lines to print
	 * @return the exit code: 0 when the bucket complies, 1 when it does not or the store
	 * failed, 6 when the configuration is missing or wrong
	 */
	static int run(CommandSpec spec, CliContext context, @Nullable Integer expireDaysOption,
			Function<Action, List<String>> action) {
		if (expireDaysOption != null && expireDaysOption < 1) {
			throw new CommandLine.ParameterException(spec.commandLine(),
					"--expire-days must be at least 1, not " + expireDaysOption);
		}
		PrintWriter out = spec.commandLine().getOut();
		PrintWriter err = spec.commandLine().getErr();
		Optional<TableDumpTarget> configured = context.findBean(TableDumpTarget.class);
		if (configured.isEmpty()) {
			return Outcomes.error(context, err, ExitCode.CONFIGURATION, NOT_CONFIGURED);
		}
		TableDumpTarget target = configured.get();
		int expireDays = (expireDaysOption != null) ? expireDaysOption
				: context.bean(TableDumpProperties.class).expireDays();
		BucketRules rules = new BucketRules(target.client(), target.location(), target.encryption());
		String where = target.location().uri(rules.targetPrefix()) + " at " + target.location().endpoint();
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
			return Outcomes.error(context, err, ExitCode.FAILED, "NOT COMPLIANT: " + remedy(report));
		}
		catch (BucketAccessException ex) {
			out.flush();
			return switch (ex.problem()) {
				case NO_SUCH_BUCKET -> Outcomes.error(context, err, ExitCode.CONFIGURATION,
						ex.getMessage() + " (create it, or fix " + TARGET + ".bucket)");
				case CREDENTIALS_REFUSED -> Outcomes.error(context, err, ExitCode.CONFIGURATION,
						ex.getMessage() + " (fix " + TARGET + ".access-key-id and " + TARGET + ".secret-access-key)");
				case ENDPOINT_UNREACHABLE -> Outcomes.error(context, err, ExitCode.CONFIGURATION,
						ex.getMessage() + " (check " + TARGET + ".endpoint)");
				case ACCESS_DENIED, FAILED -> Outcomes.error(context, err, ExitCode.FAILED, ex.getMessage());
			};
		}
	}

	private static String remedy(BucketReport report) {
		if (report.encryption().state() == BucketReport.DefaultEncryption.State.NOT_SUPPORTED
				&& report.encryption().objectEncryption().algorithm() == ServerSideEncryption.Algorithm.NONE) {
			String encryption = "this store has no default encryption, so set ferry.table-dump.encryption.algorithm"
					+ " to AES256 (or AWS_KMS with a kms-key-id)";
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
