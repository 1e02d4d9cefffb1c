package dev.ferry.common.s3;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.s3.BucketAccessException.Problem;
import dev.ferry.common.s3.BucketReport.DefaultEncryption.State;
import dev.ferry.testkit.CephRgw;
import dev.ferry.testkit.CephRgwExtension;
import dev.ferry.testkit.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bucket rules against the production store, a real Ceph RGW 16: it has no bucket
 * default encryption, and keeps lifecycle rules as S3 does.
 */
@ExtendWith(CephRgwExtension.class)
class BucketRulesTest {

	static final ServerSideEncryption AES256 = new ServerSideEncryption(ServerSideEncryption.Algorithm.AES256, null);

	/** What Ceph RGW 16 really applies: SSE-KMS with a key of its test key store. */
	static final ServerSideEncryption KMS = new ServerSideEncryption(ServerSideEncryption.Algorithm.AWS_KMS,
			CephRgwExtension.rgw().kmsKeyId());

	static final String KMS_PROBE = "encryption probe: ENCRYPTED: a probe object written with " + KMS
			+ " is stored with aws:kms (key " + KMS.kmsKeyId() + ")";

	S3Endpoint ceph;

	S3Client s3;

	String bucket;

	@BeforeEach
	void createBucket(CephRgw rgw, TestInfo test) {
		this.ceph = rgw.endpoint();
		this.s3 = this.ceph.client();
		this.bucket = this.ceph.createBucket(test.getTestMethod().orElseThrow().getName());
	}

	@AfterEach
	void deleteBucket() {
		this.ceph.deleteBucket(this.bucket);
		this.s3.close();
	}

	BucketRules rules(String bucket, ServerSideEncryption encryption) {
		return new BucketRules(this.s3, location(this.ceph.uri(), bucket, this.ceph.secretKey()), encryption);
	}

	S3Location location(URI endpoint, String bucket, String secretKey) {
		return new S3Location(endpoint, "us-east-1", bucket, "dumps", true, S3Location.ChecksumMode.WHEN_REQUIRED,
				this.ceph.accessKey(), secretKey);
	}

	List<LifecycleRule> lifecycle() {
		return this.s3.getBucketLifecycleConfiguration((request) -> request.bucket(this.bucket)).rules();
	}

	String lifecycleError() {
		try {
			lifecycle();
			return "none";
		}
		catch (S3Exception ex) {
			return ex.awsErrorDetails().errorCode();
		}
	}

	void putLifecycle(LifecycleRule... rules) {
		this.s3.putBucketLifecycleConfiguration((request) -> request.bucket(this.bucket)
			.lifecycleConfiguration((configuration) -> configuration.rules(rules)));
	}

	static LifecycleRule expiring(String id, String prefix, int days) {
		return LifecycleRule.builder()
			.id(id)
			.status(ExpirationStatus.ENABLED)
			.filter((filter) -> filter.prefix(prefix))
			.expiration((expiration) -> expiration.days(days))
			.build();
	}

	@Test
	void aFreshBucketHasNoExpiryAndItsDefaultEncryptionIsNotSupportedRatherThanMissing() {
		BucketReport report = rules(this.bucket, KMS).check(14);

		assertThat(report.encryption().state()).isEqualTo(State.NOT_SUPPORTED);
		assertThat(report.expiry().rule()).isNull();
		assertThat(report.multipartAbort()).isNull();
		assertThat(report.compliant()).isFalse();
		assertThat(report.lines()).containsExactly(
				"default encryption: NOT SUPPORTED by this store; Ferry asks for " + KMS + " on every object it writes",
				KMS_PROBE, "lifecycle: MISSING: no enabled rule expires objects under 'dumps/' within 14 days",
				"incomplete multipart uploads: no enabled rule aborts them under 'dumps/' (not required; their parts"
						+ " stay stored until someone aborts them)");
	}

	@Test
	void applyPutsFerrysRuleOnTheTargetPrefixAndTheBucketThenComplies() {
		BucketRules rules = rules(this.bucket, KMS);

		assertThat(rules.apply(14)).containsExactly("default encryption: NOT SUPPORTED by this store, nothing set",
				"lifecycle: added rule 'ferry-expire-14-days' (expire objects after 14 days, abort incomplete"
						+ " multipart uploads after 14 days, under prefix 'dumps/')");

		assertThat(lifecycle()).singleElement().satisfies((rule) -> {
			assertThat(rule.id()).isEqualTo("ferry-expire-14-days");
			assertThat(rule.status()).isEqualTo(ExpirationStatus.ENABLED);
			assertThat(rule.filter().prefix()).isEqualTo("dumps/");
			assertThat(rule.expiration().days()).isEqualTo(14);
			assertThat(rule.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(14);
		});
		BucketReport report = rules.check(14);
		assertThat(report.compliant()).isTrue();
		assertThat(report.lines()).containsExactly(
				"default encryption: NOT SUPPORTED by this store; Ferry asks for " + KMS + " on every object it writes",
				KMS_PROBE,
				"lifecycle: expires objects after 14 days under prefix 'dumps/' (rule 'ferry-expire-14-days')",
				"incomplete multipart uploads: aborted after 14 days under prefix 'dumps/' (rule"
						+ " 'ferry-expire-14-days')");
		assertThat(rules.check(7).compliant()).as("14 days are more than 7").isFalse();
	}

	@Test
	void applyKeepsTheBucketsOtherRulesAndTwiceGivesTheSameConfiguration() {
		LifecycleRule logs = expiring("logs-90-days", "logs/", 90);
		LifecycleRule tagged = LifecycleRule.builder()
			.id("tagged-temp")
			.status(ExpirationStatus.ENABLED)
			.filter((filter) -> filter.tag(Tag.builder().key("temp").value("yes").build()))
			.expiration((expiration) -> expiration.days(1))
			.build();
		putLifecycle(logs, tagged);
		BucketRules rules = rules(this.bucket, KMS);

		assertThat(rules.apply(14)).last()
			.isEqualTo("lifecycle: added rule 'ferry-expire-14-days' (expire objects after 14 days, abort"
					+ " incomplete multipart uploads after 14 days, under prefix 'dumps/'); kept 2 other rules");
		List<LifecycleRule> once = lifecycle();
		// RGW lists rules by ID, AWS in the order they were put: the order means nothing
		assertThat(once).extracting(LifecycleRule::id)
			.containsExactlyInAnyOrder("logs-90-days", "tagged-temp", "ferry-expire-14-days");
		assertThat(once).contains(logs, tagged);

		assertThat(rules.apply(14)).last()
			.isEqualTo("lifecycle: rule 'ferry-expire-14-days' (expire objects after 14 days, abort incomplete"
					+ " multipart uploads after 14 days, under prefix 'dumps/') already in place, unchanged");
		assertThat(lifecycle()).isEqualTo(once);
	}

	@Test
	void applyWithAnotherExpiryReplacesFerrysOlderRule() {
		BucketRules rules = rules(this.bucket, KMS);
		rules.apply(30);
		List<LifecycleRule> withOthers = new ArrayList<>(lifecycle());
		withOthers.add(expiring("logs-90-days", "logs/", 90));
		putLifecycle(withOthers.toArray(LifecycleRule[]::new));

		assertThat(rules.apply(14)).last()
			.isEqualTo("lifecycle: replaced 'ferry-expire-30-days' with rule 'ferry-expire-14-days' (expire objects"
					+ " after 14 days, abort incomplete multipart uploads after 14 days, under prefix 'dumps/');"
					+ " kept 1 other rule");
		assertThat(lifecycle()).extracting(LifecycleRule::id)
			.containsExactlyInAnyOrder("ferry-expire-14-days", "logs-90-days");
		assertThat(rules.check(14).compliant()).isTrue();
	}

	@Test
	void onlyAnEnabledRuleOnAPrefixOfTheTargetWithoutTagsAndWithinTheLimitCounts() {
		LifecycleRule disabled = expiring("disabled", "dumps/", 7).toBuilder()
			.status(ExpirationStatus.DISABLED)
			.build();
		LifecycleRule tooLate = expiring("too-late", "", 30);
		LifecycleRule elsewhere = expiring("elsewhere", "dumps/2026-", 1);
		LifecycleRule tagged = LifecycleRule.builder()
			.id("tagged")
			.status(ExpirationStatus.ENABLED)
			.filter((filter) -> filter
				.and((and) -> and.prefix("dumps/").tags(Tag.builder().key("temp").value("yes").build())))
			.expiration((expiration) -> expiration.days(1))
			.build();
		putLifecycle(disabled, tooLate, elsewhere, tagged);
		BucketRules rules = rules(this.bucket, KMS);

		BucketReport report = rules.check(14);
		assertThat(report.compliant()).isFalse();
		assertThat(report.expiry().line())
			.startsWith("lifecycle: MISSING: no enabled rule expires objects under 'dumps/' within 14 days (")
			.contains("rule 'disabled' is Disabled", "rule 'too-late' expires objects after 30 days",
					"rule 'elsewhere' applies only under 'dumps/2026-'",
					"rule 'tagged' applies only to objects with certain tags");
		assertThat(report.expiry().rejections()).hasSize(4);

		putLifecycle(disabled, tooLate, expiring("whole-bucket", "", 10), expiring("dumps", "dumps", 12));
		report = rules.check(14);
		assertThat(report.compliant()).isTrue();
		assertThat(report.expiry().line())
			.isEqualTo("lifecycle: expires objects after 10 days in the whole bucket (rule 'whole-bucket')");
	}

	@Test
	void aStoreThatAcceptsAes256AndStoresTheObjectUnencryptedIsNotEncryptedAtRest() {
		BucketRules rules = rules(this.bucket, AES256);
		rules.apply(14);

		BucketReport report = rules.check(14);
		assertThat(report.encryptedAtRest()).isFalse();
		assertThat(report.compliant()).isFalse();
		assertThat(report.lines()).contains("encryption probe: NOT ENCRYPTED: a probe object written with AES256 is"
				+ " stored without server-side encryption: the store ignores AES256 (Ceph RGW before 17 does); ask"
				+ " for AWS_KMS with a kms-key-id");
		assertThat(this.s3.listObjectsV2((request) -> request.bucket(this.bucket)).contents()).as("probe objects left")
			.isEmpty();
	}

	@Test
	void withoutDefaultEncryptionInTheStoreObjectsMustAskForTheirOwn() {
		BucketRules unencrypted = rules(this.bucket, ServerSideEncryption.none());
		unencrypted.apply(14);

		BucketReport report = unencrypted.check(14);
		assertThat(report.expiry().compliant()).isTrue();
		assertThat(report.encryption().compliant()).isFalse();
		assertThat(report.compliant()).isFalse();
		assertThat(report.encryption().line()).isEqualTo("default encryption: NOT SUPPORTED by this store, and Ferry"
				+ " asks for no encryption (algorithm NONE): objects are stored unencrypted");
		String keyId = CephRgwExtension.rgw().kmsKeyId();
		ServerSideEncryption kms = new ServerSideEncryption(ServerSideEncryption.Algorithm.AWS_KMS, keyId);
		assertThat(rules(this.bucket, kms).check(14).encryption().line())
			.isEqualTo("default encryption: NOT SUPPORTED by this store; Ferry asks for aws:kms (key " + keyId
					+ ") on every object it writes");
	}

	@Test
	void aMissingBucketIsNamedWithItsEndpointAndSetupDoesNotCreateIt() {
		String missing = S3Endpoint.uniqueBucketName("missing");
		BucketRules rules = rules(missing, KMS);

		for (Runnable action : List.<Runnable>of(() -> rules.check(14), () -> rules.apply(14))) {
			assertThatExceptionOfType(BucketAccessException.class).isThrownBy(action::run)
				.satisfies((ex) -> assertThat(ex.problem()).isEqualTo(Problem.NO_SUCH_BUCKET))
				.withMessage("bucket '" + missing + "' does not exist at " + this.ceph.uri());
		}
		assertThatExceptionOfType(NoSuchBucketException.class)
			.isThrownBy(() -> this.s3.headBucket((request) -> request.bucket(missing)));
	}

	@Test
	void wrongCredentialsAreRefusedWithTheAccessKeyButNeverTheSecret() {
		String secret = "not-" + this.ceph.secretKey();
		S3Location location = location(this.ceph.uri(), this.bucket, secret);
		try (S3Client client = new S3ClientFactory(1).create(location)) {
			BucketRules rules = new BucketRules(client, location, KMS);

			assertThatExceptionOfType(BucketAccessException.class).isThrownBy(() -> rules.apply(14))
				.satisfies((ex) -> assertThat(ex.problem()).isEqualTo(Problem.CREDENTIALS_REFUSED))
				.withMessage(this.ceph.uri() + " refused the credentials (access key '" + this.ceph.accessKey()
						+ "') for bucket '" + this.bucket + "': SignatureDoesNotMatch")
				.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(secret));
		}
		assertThat(lifecycleError()).as("nothing was put").isEqualTo("NoSuchLifecycleConfiguration");
	}

	@Test
	void aDeadEndpointIsReportedAsUnreachable() throws IOException {
		URI dead;
		try (ServerSocket socket = new ServerSocket(0)) {
			dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
		}
		S3Location location = location(dead, this.bucket, this.ceph.secretKey());
		try (S3Client client = new S3ClientFactory(1).create(location)) {
			assertThatExceptionOfType(BucketAccessException.class)
				.isThrownBy(() -> new BucketRules(client, location, KMS).check(14))
				.satisfies((ex) -> assertThat(ex.problem()).isEqualTo(Problem.ENDPOINT_UNREACHABLE))
				.withMessageStartingWith(
						"could not reach " + dead + " to read the default encryption of bucket '" + this.bucket + "': ")
				.withMessageContaining("Connection refused");
		}
	}

}
