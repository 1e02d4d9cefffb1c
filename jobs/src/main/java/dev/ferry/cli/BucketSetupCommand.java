package dev.ferry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bucket-setup", mixinStandardHelpOptions = true, description = {
		"Applies the bucket rules to the bucket each configured job writes to, then checks it as 'ferry bucket-check'"
				+ " does.",
		"Sets default encryption (AES256, or aws:kms with the job's kms-key-id) if the bucket has"
				+ " none and the store supports it, and puts the lifecycle rule 'ferry-expire-<N>-days': objects"
				+ " under the target prefix expire after N days, multipart uploads started there are aborted after"
				+ " N days.",
		"The bucket's other lifecycle rules are kept; an earlier Ferry rule is replaced. Running it again"
				+ " changes nothing. The bucket must exist." },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:the rules are in place and the bucket complies",
				"1:it does not comply (encryption NONE on a store without default encryption), or the store failed",
				"2:usage error",
				"6:no job with a bucket is configured, or the bucket, its endpoint or the credentials are wrong" })
class BucketSetupCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--expire-days", paramLabel = "<days>",
			description = "After how many days objects expire (default: the job's expire-days).")
	@Nullable Integer expireDays;

	@Option(names = "--job", paramLabel = "<job>",
			description = "Only the bucket of this job (default: the bucket of every configured job).")
	@Nullable String job;

	private final CliContext context;

	BucketSetupCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		return BucketRulesCommand.run(this.spec, this.context, this.expireDays, this.job, (action) -> {
			List<String> lines = new ArrayList<>();
			lines.add("Setting up " + action.where() + ":");
			action.rules().apply(action.expireDays()).forEach((line) -> lines.add("  " + line));
			return lines;
		});
	}

}
