package dev.ferry.common.s3;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@link BucketRules#check(int)} found on a bucket: its default encryption, the
 * lifecycle rule that expires the objects under the target prefix (if any), and the rule
 * that aborts incomplete multipart uploads there (if any; informational).
 *
 * @param encryption the bucket's default encryption
 * @param encryptedAtRest whether a probe object written as the job writes came back
 * encrypted: the store's own evidence
 * @param probeLine what the probe found, for the operator
 * @param expiry the lifecycle expiry of the objects under the target prefix
 * @param multipartAbort the enabled rule that aborts incomplete multipart uploads under
 * the target prefix soonest, or {@code null} if none does
 */
public record BucketReport(DefaultEncryption encryption, boolean encryptedAtRest, String probeLine, Expiry expiry,
		@Nullable RuleMatch multipartAbort) {

	/**
	 * Whether the bucket follows the rules: encryption at rest (by default, or on every
	 * object where the store has no default encryption), proven by a probe object the
	 * store reported encrypted, and an expiry within the limit.
	 */
	public boolean compliant() {
		return this.encryption.compliant() && this.encryptedAtRest && this.expiry.compliant();
	}

	/** One line per rule, for an operator. */
	public List<String> lines() {
		String abort = (this.multipartAbort != null)
				? "incomplete multipart uploads: aborted after " + this.multipartAbort.days() + " days "
						+ under(this.multipartAbort.prefix(), true) + " (" + this.multipartAbort.rule() + ")"
				: "incomplete multipart uploads: no enabled rule aborts them "
						+ under(this.expiry.targetPrefix(), false)
						+ " (not required; their parts stay stored until someone aborts them)";
		return List.of(this.encryption.line(), this.probeLine, this.expiry.line(), abort);
	}

	static String under(String prefix, boolean named) {
		if (prefix.isEmpty()) {
			return "in the whole bucket";
		}
		return (named ? "under prefix '" : "under '") + prefix + "'";
	}

	static String ruleName(@Nullable String id) {
		return (id != null && !id.isEmpty()) ? "rule '" + id + "'" : "a rule without an ID";
	}

	/**
	 * A bucket's default encryption (GetBucketEncryption).
	 *
	 * @param state enabled, missing, or not supported by the store
	 * @param algorithm the default algorithm ({@code AES256}, {@code aws:kms}) when
	 * enabled
	 * @param kmsKeyId the default KMS key when enabled with {@code aws:kms}
	 * @param objectEncryption the encryption the job asks for on every object it writes
	 */
	public record DefaultEncryption(State state, @Nullable String algorithm, @Nullable String kmsKeyId,
			ServerSideEncryption objectEncryption) {

		/**
		 * Compliant when enabled, or when the store has no default encryption but every
		 * object asks for its own.
		 */
		public boolean compliant() {
			return switch (this.state) {
				case ENABLED -> true;
				case MISSING -> false;
				case NOT_SUPPORTED -> this.objectEncryption.algorithm() != ServerSideEncryption.Algorithm.NONE;
			};
		}

		/** {@code AES256}, or {@code aws:kms (key k)}. */
		public String describeDefault() {
			return (this.kmsKeyId != null && !this.kmsKeyId.isEmpty()) ? this.algorithm + " (key " + this.kmsKeyId + ")"
					: String.valueOf(this.algorithm);
		}

		public String line() {
			return switch (this.state) {
				case ENABLED -> "default encryption: ENABLED (" + describeDefault() + ")";
				case MISSING -> "default encryption: MISSING";
				case NOT_SUPPORTED -> (this.objectEncryption.algorithm() != ServerSideEncryption.Algorithm.NONE)
						? "default encryption: NOT SUPPORTED by this store; Ferry asks for " + this.objectEncryption
								+ " on every object it writes"
						: "default encryption: NOT SUPPORTED by this store, and Ferry asks for no encryption"
								+ " (algorithm NONE): objects are stored unencrypted";
			};
		}

		/** Whether and how a bucket encrypts objects that ask for nothing. */
		public enum State {

			/** GetBucketEncryption answered a rule. */
			ENABLED,

			/**
			 * GetBucketEncryption answered
			 * {@code ServerSideEncryptionConfigurationNotFoundError}.
			 */
			MISSING,

			/**
			 * GetBucketEncryption answered 200 without any rule: Ceph RGW 16 does not
			 * know the {@code ?encryption} sub-resource and answers with the bucket's
			 * listing.
			 */
			NOT_SUPPORTED

		}

	}

	/**
	 * Whether an enabled lifecycle rule expires the objects under the target prefix
	 * within the limit.
	 *
	 * @param targetPrefix the key prefix the job writes under ({@code x/}, or empty for
	 * the whole bucket)
	 * @param maxDays the most days an object may live
	 * @param rule the qualifying rule that expires objects soonest, or {@code null}
	 * @param rejections why the other expiring rules do not qualify, one phrase each
	 */
	public record Expiry(String targetPrefix, int maxDays, @Nullable RuleMatch rule, List<String> rejections) {

		public boolean compliant() {
			return this.rule != null;
		}

		public String line() {
			if (this.rule != null) {
				return "lifecycle: expires objects after " + this.rule.days() + " days "
						+ under(this.rule.prefix(), true) + " (" + this.rule.rule() + ")";
			}
			String line = "lifecycle: MISSING: no enabled rule expires objects " + under(this.targetPrefix, false)
					+ " within " + this.maxDays + " days";
			return this.rejections.isEmpty() ? line : line + " (" + String.join("; ", this.rejections) + ")";
		}

	}

	/**
	 * A lifecycle rule that applies to the target prefix.
	 *
	 * @param rule the rule's name for messages ({@code rule 'id'})
	 * @param prefix the rule's filter prefix (a prefix of the target prefix)
	 * @param days after how many days it acts
	 */
	public record RuleMatch(String rule, String prefix, int days) {

	}

}
