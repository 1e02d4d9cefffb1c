package dev.ferry.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bucket-check", mixinStandardHelpOptions = true, description = {
		"Checks that the bucket each configured job writes to encrypts objects at rest and deletes them in time.",
		"Default encryption must be enabled, and an enabled lifecycle rule must expire the objects under the target"
				+ " prefix within the job's expire-days (table-dump: ferry.table-dump.expire-days, 14). A store"
				+ " without bucket default encryption (Ceph RGW 16) complies when a probe object written with the"
				+ " job's encryption comes back encrypted.",
		"Exits 0 when the bucket complies, 1 when it does not ('ferry bucket-setup' applies the rules)." },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:the bucket complies", "1:it does not, or the store failed (the message says which)",
				"2:usage error",
				"6:no job with a bucket is configured, or the bucket, its endpoint or the credentials are wrong" })
class BucketCheckCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--expire-days", paramLabel = "<days>",
			description = "The most days an object may live (default: the job's expire-days).")
	@Nullable Integer expireDays;

	@Option(names = "--job", paramLabel = "<job>",
			description = "Only the bucket of this job (default: the bucket of every configured job).")
	@Nullable String job;

	private final CliContext context;

	BucketCheckCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		return BucketRulesCommand.run(this.spec, this.context, this.expireDays, this.job, (action) -> List.of());
	}

}
