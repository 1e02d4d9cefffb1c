package dev.ferry.common.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.ferry.common.failure.RootCause;
import dev.ferry.common.s3.BucketAccessException.Problem;
import dev.ferry.common.s3.BucketReport.DefaultEncryption;
import dev.ferry.common.s3.BucketReport.Expiry;
import dev.ferry.common.s3.BucketReport.RuleMatch;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.Assert;

/**
 * The rules a bucket that receives regulated dumps must follow (seed 002): encryption at
 * rest, and a lifecycle rule that deletes objects after a number of days, so that nothing
 * outlives the customer SLA even when the job that should take it away fails.
 * <p>
 * {@link #check(int)} reads the bucket's default encryption and lifecycle configuration
 * and says whether they comply. {@link #apply(int)} sets default encryption where the
 * store supports it and puts Ferry's own lifecycle rule ({@code ferry-expire-<N>-days}),
 * keeping every other rule of the bucket; running it again changes nothing.
 * <p>
 * Where the store has no bucket default encryption (Ceph RGW 16: GetBucketEncryption
 * answers HTTP 200 with the bucket's listing instead of a configuration), encryption is
 * reported {@link DefaultEncryption.State#NOT_SUPPORTED NOT_SUPPORTED}, which complies
 * only if the job asks for server-side encryption on every object it writes.
 * <p>
 * Failures are {@link BucketAccessException}s whose message names the bucket and the
 * endpoint, never the secret key.
 * <p>
 * Thread-safe (it keeps no state but its collaborators), but two {@link #apply(int)}
 * calls on the same bucket at once may lose one's rule: S3 replaces a lifecycle
 * configuration as a whole.
 */
public final class BucketRules {

	private static final Pattern FERRY_RULE_ID = Pattern.compile("ferry-expire-\\d+-days");

	/** The error codes of a store that does not accept the credentials at all. */
	private final S3Client client;

	private final S3Location location;

	private final ServerSideEncryption objectEncryption;

	/**
	 * @param client a client for the location's endpoint
	 * @param location the bucket, and the prefix the job writes under
	 * @param objectEncryption the encryption the job asks for on every object it writes;
	 * also the default encryption {@link #apply(int)} sets ({@code AES256} when it is
	 * {@code NONE})
	 */
	public BucketRules(S3Client client, S3Location location, ServerSideEncryption objectEncryption) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(location, "'location' must not be null");
		Assert.notNull(objectEncryption, "'objectEncryption' must not be null");
		this.client = client;
		this.location = location;
		this.objectEncryption = objectEncryption;
	}

	/** The ID of Ferry's lifecycle rule for an expiry. */
	public static String ruleId(int expireDays) {
		return "ferry-expire-" + expireDays + "-days";
	}

	/** Whether a lifecycle rule is Ferry's own, which {@link #apply(int)} replaces. */
	public static boolean isFerryRule(LifecycleRule rule) {
		return rule.id() != null && FERRY_RULE_ID.matcher(rule.id()).matches();
	}

	/**
	 * The key prefix objects are written under, as a lifecycle filter sees it: {@code x/}
	 * for the location prefix {@code x} or {@code x/}, empty for the whole bucket.
	 */
	public String targetPrefix() {
		return this.location.key("");
	}

	/**
	 * Reads the bucket's default encryption and lifecycle configuration.
	 * @param expireDays the most days an object may live under the target prefix
	 * @return what was found, and whether it complies
	 * @throws BucketAccessException if the bucket cannot be read
	 */
	public BucketReport check(int expireDays) {
		Assert.isTrue(expireDays >= 1, () -> "expireDays must be at least 1, not " + expireDays);
		DefaultEncryption encryption = readEncryption();
		EncryptionProbe.Result probe = new EncryptionProbe(this.client, this.location, this.objectEncryption).run();
		List<LifecycleRule> rules = readLifecycle();
		return new BucketReport(encryption, probe.encrypted(), probe.line(), expiry(rules, targetPrefix(), expireDays),
				multipartAbort(rules, targetPrefix()));
	}

	/**
	 * Sets default encryption if the bucket has none and the store supports it, and puts
	 * Ferry's lifecycle rule: expire objects under the target prefix after
	 * {@code expireDays} days, and abort multipart uploads started there as long ago.
	 * Other rules are kept; an older Ferry rule (another expiry) is replaced. An existing
	 * default encryption is left as it is, whatever its algorithm.
	 * @param expireDays after how many days objects expire
	 * @return what was done, one line per rule
	 * @throws BucketAccessException if the bucket cannot be read or changed
	 */
	public List<String> apply(int expireDays) {
		Assert.isTrue(expireDays >= 1, () -> "expireDays must be at least 1, not " + expireDays);
		return List.of(applyEncryption(), applyLifecycle(expireDays));
	}

	private String applyEncryption() {
		DefaultEncryption current = readEncryption();
		return switch (current.state()) {
			case NOT_SUPPORTED -> "default encryption: NOT SUPPORTED by this store, nothing set";
			case ENABLED -> "default encryption: already ENABLED (" + current.describeDefault() + "), left as it is";
			case MISSING -> {
				ServerSideEncryptionByDefault wanted = wantedDefault();
				ServerSideEncryptionConfiguration configuration = ServerSideEncryptionConfiguration.builder()
					.rules(ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(wanted).build())
					.build();
				try {
					this.client.putBucketEncryption((request) -> request.bucket(this.location.bucket())
						.serverSideEncryptionConfiguration(configuration));
				}
				catch (SdkException ex) {
					throw failure("set the default encryption", "s3:PutEncryptionConfiguration", ex);
				}
				yield "default encryption: set to "
						+ new DefaultEncryption(DefaultEncryption.State.ENABLED, wanted.sseAlgorithmAsString(),
								wanted.kmsMasterKeyID(), this.objectEncryption)
							.describeDefault();
			}
		};
	}

	private ServerSideEncryptionByDefault wantedDefault() {
		if (this.objectEncryption.algorithm() == ServerSideEncryption.Algorithm.AWS_KMS) {
			return ServerSideEncryptionByDefault.builder()
				.sseAlgorithm(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS)
				.kmsMasterKeyID(this.objectEncryption.kmsKeyId())
				.build();
		}
		return ServerSideEncryptionByDefault.builder()
			.sseAlgorithm(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256)
			.build();
	}

	private String applyLifecycle(int expireDays) {
		List<LifecycleRule> existing = readLifecycle();
		LifecycleRule ours = LifecycleRule.builder()
			.id(ruleId(expireDays))
			.status(ExpirationStatus.ENABLED)
			.filter((filter) -> filter.prefix(targetPrefix()))
			.expiration((expiration) -> expiration.days(expireDays))
			.abortIncompleteMultipartUpload((abort) -> abort.daysAfterInitiation(expireDays))
			.build();
		List<LifecycleRule> updated = new ArrayList<>();
		List<String> replaced = new ArrayList<>();
		for (LifecycleRule rule : existing) {
			if (!isFerryRule(rule)) {
				updated.add(rule);
				continue;
			}
			if (replaced.isEmpty()) {
				updated.add(ours);
			}
			replaced.add(rule.id());
		}
		if (replaced.isEmpty()) {
			updated.add(ours);
		}
		String what = "rule '" + ours.id() + "' (expire objects after " + expireDays
				+ " days, abort incomplete multipart uploads after " + expireDays + " days, "
				+ BucketReport.under(targetPrefix(), true) + ")";
		if (existing.size() == updated.size() && existing.contains(ours)) {
			return "lifecycle: " + what + " already in place, unchanged";
		}
		try {
			this.client.putBucketLifecycleConfiguration((request) -> request.bucket(this.location.bucket())
				.lifecycleConfiguration((configuration) -> configuration.rules(updated)));
		}
		catch (SdkException ex) {
			throw failure("set the lifecycle configuration", "s3:PutLifecycleConfiguration", ex);
		}
		int kept = existing.size() - replaced.size();
		String action = replaced.isEmpty() ? "added " : "replaced '" + String.join("', '", replaced) + "' with ";
		return "lifecycle: " + action + what
				+ ((kept > 0) ? "; kept " + kept + " other rule" + ((kept == 1) ? "" : "s") : "");
	}

	private DefaultEncryption readEncryption() {
		ServerSideEncryptionConfiguration configuration;
		try {
			configuration = this.client.getBucketEncryption((request) -> request.bucket(this.location.bucket()))
				.serverSideEncryptionConfiguration();
		}
		catch (S3Exception ex) {
			if ("ServerSideEncryptionConfigurationNotFoundError".equals(errorCode(ex))) {
				return new DefaultEncryption(DefaultEncryption.State.MISSING, null, null, this.objectEncryption);
			}
			throw failure("read the default encryption", "s3:GetEncryptionConfiguration", ex);
		}
		catch (SdkException ex) {
			throw failure("read the default encryption", "s3:GetEncryptionConfiguration", ex);
		}
		ServerSideEncryptionByDefault applied = (configuration != null) ? configuration.rules()
			.stream()
			.map(ServerSideEncryptionRule::applyServerSideEncryptionByDefault)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null) : null;
		if (applied == null) {
			// a store that implements GetBucketEncryption answers a rule or
			// ServerSideEncryptionConfigurationNotFoundError; Ceph RGW 16 does not know
			// the ?encryption sub-resource and answers 200 with a ListBucketResult, which
			// holds no rule
			return new DefaultEncryption(DefaultEncryption.State.NOT_SUPPORTED, null, null, this.objectEncryption);
		}
		return new DefaultEncryption(DefaultEncryption.State.ENABLED, applied.sseAlgorithmAsString(),
				applied.kmsMasterKeyID(), this.objectEncryption);
	}

	private List<LifecycleRule> readLifecycle() {
		try {
			return this.client.getBucketLifecycleConfiguration((request) -> request.bucket(this.location.bucket()))
				.rules();
		}
		catch (S3Exception ex) {
			if ("NoSuchLifecycleConfiguration".equals(errorCode(ex))) {
				return List.of();
			}
			throw failure("read the lifecycle configuration", "s3:GetLifecycleConfiguration", ex);
		}
		catch (SdkException ex) {
			throw failure("read the lifecycle configuration", "s3:GetLifecycleConfiguration", ex);
		}
	}

	static Expiry expiry(List<LifecycleRule> rules, String targetPrefix, int maxDays) {
		List<String> rejections = new ArrayList<>();
		List<RuleMatch> matches = new ArrayList<>();
		for (LifecycleRule rule : rules) {
			if (rule.expiration() == null || (rule.expiration().days() == null && rule.expiration().date() == null)) {
				// transitions, noncurrent versions, multipart aborts: not about expiry
				continue;
			}
			String name = BucketReport.ruleName(rule.id());
			String prefix = prefix(rule);
			String narrowing = narrowing(rule);
			Integer days = rule.expiration().days();
			if (rule.status() != ExpirationStatus.ENABLED) {
				rejections.add(name + " is " + rule.statusAsString());
			}
			else if (days == null) {
				rejections.add(name + " expires objects on a date, not after a number of days");
			}
			else if (!targetPrefix.startsWith(prefix)) {
				rejections.add(name + " applies only under '" + prefix + "'");
			}
			else if (narrowing != null) {
				rejections.add(name + " " + narrowing);
			}
			else if (days > maxDays) {
				rejections.add(name + " expires objects after " + days + " days");
			}
			else {
				matches.add(new RuleMatch(name, prefix, days));
			}
		}
		RuleMatch soonest = matches.stream().min(Comparator.comparingInt(RuleMatch::days)).orElse(null);
		return new Expiry(targetPrefix, maxDays, soonest, List.copyOf(rejections));
	}

	static @Nullable RuleMatch multipartAbort(List<LifecycleRule> rules, String targetPrefix) {
		return rules.stream()
			.filter((rule) -> rule.status() == ExpirationStatus.ENABLED)
			.filter((rule) -> rule.abortIncompleteMultipartUpload() != null
					&& rule.abortIncompleteMultipartUpload().daysAfterInitiation() != null)
			.filter((rule) -> targetPrefix.startsWith(prefix(rule)) && narrowing(rule) == null)
			.map((rule) -> new RuleMatch(BucketReport.ruleName(rule.id()), prefix(rule),
					rule.abortIncompleteMultipartUpload().daysAfterInitiation()))
			.min(Comparator.comparingInt(RuleMatch::days))
			.orElse(null);
	}

	/** The rule's key prefix: its filter's, or the deprecated rule-level one. */
	private static String prefix(LifecycleRule rule) {
		LifecycleRuleFilter filter = rule.filter();
		if (filter == null) {
			return Objects.requireNonNullElse(rule.prefix(), "");
		}
		if (filter.and() != null) {
			return Objects.requireNonNullElse(filter.and().prefix(), "");
		}
		return Objects.requireNonNullElse(filter.prefix(), "");
	}

	/**
	 * Why a rule applies to only some of the objects under its prefix, or {@code null}.
	 */
	private static @Nullable String narrowing(LifecycleRule rule) {
		LifecycleRuleFilter filter = rule.filter();
		if (filter == null) {
			return null;
		}
		LifecycleRuleAndOperator and = filter.and();
		if (filter.tag() != null || (and != null && and.hasTags() && !and.tags().isEmpty())) {
			return "applies only to objects with certain tags";
		}
		if (filter.objectSizeGreaterThan() != null || filter.objectSizeLessThan() != null
				|| (and != null && (and.objectSizeGreaterThan() != null || and.objectSizeLessThan() != null))) {
			return "applies only to objects of certain sizes";
		}
		return null;
	}

	private BucketAccessException failure(String action, String permission, SdkException ex) {
		String bucket = "bucket '" + this.location.bucket() + "'";
		String endpoint = this.location.displayEndpoint();
		Problem problem = Problem.of(ex);
		String message = switch (problem) {
			case NO_SUCH_BUCKET -> bucket + " does not exist at " + endpoint;
			case CREDENTIALS_REFUSED -> endpoint + " refused the credentials (" + accessKey() + ") for " + bucket + ": "
					+ Objects.requireNonNullElse(errorCode(ex), "HTTP 403");
			case ACCESS_DENIED -> accessKey() + " may not " + action + " of " + bucket + " at " + endpoint
					+ ": AccessDenied (it needs " + permission + ")";
			case ENDPOINT_UNREACHABLE -> "could not reach " + endpoint + " to " + action + " of " + bucket + ": "
					+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
			case FAILED -> (ex instanceof S3Exception s3)
					? "could not " + action + " of " + bucket + " at " + endpoint + ": "
							+ Objects.requireNonNullElse(errorCode(ex), "no error code") + " (HTTP " + s3.statusCode()
							+ ")" + storeMessage(s3)
					: "could not " + action + " of " + bucket + " at " + endpoint + ": " + RootCause.describe(ex);
		};
		return new BucketAccessException(problem, message, ex);
	}

	private static @Nullable String errorCode(SdkException ex) {
		return (ex instanceof S3Exception s3) ? Problem.errorCode(s3) : null;
	}

	private static String storeMessage(S3Exception ex) {
		String message = (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorMessage() : null;
		return (message != null && !message.isBlank()) ? " " + message.strip() : "";
	}

	private String accessKey() {
		String id = this.location.accessKeyId();
		return (id != null && !id.isBlank()) ? "access key '" + id + "'"
				: "the AWS default credentials (no access key configured)";
	}

}
