package dev.ferry.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bucket-check", mixinStandardHelpOptions = true, description = {
		"Checks that table-dump's target bucket encrypts objects at rest and deletes them in time.",
		"Default encryption must be enabled, and an enabled lifecycle rule must expire the objects under the target"
				+ " prefix within ferry.table-dump.expire-days (14). A store without bucket default encryption"
				+ " (Ceph RGW 16) complies when every object asks for its own (ferry.table-dump.encryption.algorithm"
				+ " AES256 or AWS_KMS).",
		"Exits 0 when the bucket complies, 1 when it does not ('ferry bucket-setup' applies the rules)." },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:the bucket complies", "1:it does not, or the store failed (the message says which)",
				"2:usage error",
				"6:table-dump is not configured, or the bucket, its endpoint or the credentials are wrong" })
class BucketCheckCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--expire-days", paramLabel = "<days>",
			description = "The most days an object may live (default: ferry.table-dump.expire-days).")
	@Nullable Integer expireDays;

	private final CliContext context;

	BucketCheckCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		return TableDumpBucket.run(this.spec, this.context, this.expireDays, (action) -> List.of());
	}

}
