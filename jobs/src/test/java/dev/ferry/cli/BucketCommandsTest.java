package dev.ferry.cli;

import java.util.List;
import java.util.Map;

import dev.ferry.FerryApplication;
import dev.ferry.common.s3.ManagedBucket;
import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.run.ExitCode;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testjob.InProcessCli.Result;
import dev.ferry.testjob.TestJobDatabase;
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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ferry bucket-check} and {@code ferry bucket-setup} on the real Ceph RGW. The
 * Spring context is Ferry's own without table-dump; each test puts table-dump's target, a
 * bucket of its own, in a small child context, as TableDumpConfiguration would. One test
 * runs a real process configured through the environment.
 */
// the AWS SDK logs every request at DEBUG: the tests check that no secret is in it
@SpringBootTest(classes = FerryApplication.class, properties = "logging.level.software.amazon.awssdk=DEBUG")
@ExtendWith({ CephRgwExtension.class, OutputCaptureExtension.class })
class BucketCommandsTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	static final String PREFIX = "dumps";

	@DynamicPropertySource
	static void repository(DynamicPropertyRegistry registry) {
		db.registerAsRepository(registry);
	}

	@Autowired
	ConfigurableApplicationContext context;

	S3Endpoint ceph;

	S3Client s3;

	String bucket;

	@BeforeEach
	void createBucket(TestInfo test) {
		this.ceph = CephRgwExtension.endpoint();
		this.s3 = this.ceph.client();
		this.bucket = this.ceph.createBucket(test.getTestMethod().orElseThrow().getName());
	}

	@AfterEach
	void deleteBucket() {
		this.ceph.deleteBucket(this.bucket);
		this.s3.close();
	}

	@Test
	void aFreshBucketFailsTheCheckAndComplianceFollowsBucketSetup(CapturedOutput log) {
		String where = "s3://" + this.bucket + "/dumps/ at " + this.ceph.uri();

		Result fresh = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-check");
		assertThat(fresh.exitCode()).as(fresh.err()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fresh.out()).isEqualTo(lines("Rules of " + where + " (objects expire within 14 days):",
				"  default encryption: NOT SUPPORTED by this store; Ferry asks for " + kms() + " on every object it"
						+ " writes",
				"  " + kmsProbe(),
				"  lifecycle: MISSING: no enabled rule expires objects under 'dumps/' within 14 days",
				"  incomplete multipart uploads: no enabled rule aborts them under 'dumps/' (not required; their"
						+ " parts stay stored until someone aborts them)"));
		assertThat(fresh.err()).isEqualTo(lines("ferry: NOT COMPLIANT: run 'ferry bucket-setup' to apply the rules"));

		Result setup = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-setup");
		assertThat(setup.exitCode()).as(setup.err()).isZero();
		assertThat(setup.out()).isEqualTo(lines("Setting up " + where + ":",
				"  default encryption: NOT SUPPORTED by this store, nothing set",
				"  lifecycle: added rule 'ferry-expire-14-days' (expire objects after 14 days, abort incomplete"
						+ " multipart uploads after 14 days, under prefix 'dumps/')",
				"Rules of " + where + " (objects expire within 14 days):",
				"  default encryption: NOT SUPPORTED by this store; Ferry asks for " + kms() + " on every object it"
						+ " writes",
				"  " + kmsProbe(),
				"  lifecycle: expires objects after 14 days under prefix 'dumps/' (rule 'ferry-expire-14-days')",
				"  incomplete multipart uploads: aborted after 14 days under prefix 'dumps/' (rule"
						+ " 'ferry-expire-14-days')",
				"COMPLIANT"));
		assertThat(lifecycle()).extracting(LifecycleRule::id).containsExactly("ferry-expire-14-days");

		Result check = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-check");
		assertThat(check.exitCode()).as(check.err()).isZero();
		assertThat(check.out()).endsWith(lines("COMPLIANT"));
		assertThat(log.getAll()).as("the SDK's request log")
			.contains("Sending Request: DefaultSdkHttpFullRequest(httpMethod=PUT", "encodedPath=/" + this.bucket)
			.doesNotContain(this.ceph.secretKey());

		Result stricter = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-check", "--expire-days", "7");
		assertThat(stricter.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(stricter.out()).contains("(objects expire within 7 days)")
			.contains("lifecycle: MISSING: no enabled rule expires objects under 'dumps/' within 7 days (rule"
					+ " 'ferry-expire-14-days' expires objects after 14 days)");
	}

	@Test
	void withJsonLogsTheReportAndTheVerdictAreLogEventsAndNothingIsPrinted(CapturedOutput log) {
		Result json = ferry(target(this.bucket, this.ceph.secretKey()),
				Map.of("logging.structured.format.console", "ecs"), "bucket-check");

		assertThat(json.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(json.out()).isEmpty();
		assertThat(json.err()).isEmpty();
		assertThat(log.getAll()).contains("Rules of s3://" + this.bucket + "/dumps/ at ")
			.contains("  lifecycle: MISSING: no enabled rule expires objects under 'dumps/' within 14 days")
			.contains("NOT COMPLIANT: run 'ferry bucket-setup' to apply the rules");
	}

	@Test
	void bucketSetupKeepsForeignRulesAndRunningItTwiceChangesNothing() {
		LifecycleRule logs = LifecycleRule.builder()
			.id("logs-90-days")
			.status(ExpirationStatus.ENABLED)
			.filter((filter) -> filter.prefix("logs/"))
			.expiration((expiration) -> expiration.days(90))
			.build();
		this.s3.putBucketLifecycleConfiguration((request) -> request.bucket(this.bucket)
			.lifecycleConfiguration((configuration) -> configuration.rules(logs)));

		Result first = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-setup", "--expire-days", "10");
		assertThat(first.exitCode()).as(first.err()).isZero();
		assertThat(first.out()).contains("lifecycle: added rule 'ferry-expire-10-days'")
			.contains("; kept 1 other rule")
			.contains("lifecycle: expires objects after 10 days under prefix 'dumps/'");
		List<LifecycleRule> once = lifecycle();
		assertThat(once).extracting(LifecycleRule::id)
			.containsExactlyInAnyOrder("logs-90-days", "ferry-expire-10-days");
		assertThat(once).contains(logs);

		Result second = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-setup", "--expire-days", "10");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(second.out()).contains("rule 'ferry-expire-10-days' (expire objects after 10 days, abort"
				+ " incomplete multipart uploads after 10 days, under prefix 'dumps/') already in place, unchanged");
		assertThat(lifecycle()).isEqualTo(once);
	}

	/** What Ceph RGW 16 really applies: SSE-KMS with a key of its test key store. */
	static ServerSideEncryption kms() {
		return new ServerSideEncryption(ServerSideEncryption.Algorithm.AWS_KMS, CephRgwExtension.rgw().kmsKeyId());
	}

	static String kmsProbe() {
		return "encryption probe: ENCRYPTED: a probe object written with " + kms() + " is stored with aws:kms (key "
				+ kms().kmsKeyId() + ")";
	}

	@Test
	void aStoreThatIgnoresAes256IsNotCompliantAndTheCheckSaysWhatToAskFor() {
		S3Target aes256 = target(this.bucket, this.ceph.secretKey(),
				new ServerSideEncryption(ServerSideEncryption.Algorithm.AES256, null));

		Result setup = ferry(aes256, "bucket-setup");
		assertThat(setup.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(setup.out()).contains("encryption probe: NOT ENCRYPTED: a probe object written with AES256 is"
				+ " stored without server-side encryption");
		assertThat(setup.err()).isEqualTo(lines("ferry: NOT COMPLIANT: the store does not encrypt what Ferry writes"
				+ " (see the probe line): set ferry.table-dump.encryption.algorithm to one the store applies (on Ceph"
				+ " RGW: AWS_KMS with a kms-key-id)"));
	}

	@Test
	void withoutEncryptionOnTheObjectsAStoreWithoutDefaultEncryptionDoesNotComply() {
		S3Target unencrypted = target(this.bucket, this.ceph.secretKey(), ServerSideEncryption.none());

		Result setup = ferry(unencrypted, "bucket-setup");
		assertThat(setup.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(setup.out()).contains("default encryption: NOT SUPPORTED by this store, and Ferry asks for no"
				+ " encryption (algorithm NONE): objects are stored unencrypted");
		assertThat(setup.err()).isEqualTo(lines("ferry: NOT COMPLIANT: this store has no default encryption, so set"
				+ " ferry.table-dump.encryption.algorithm to AES256 (or AWS_KMS with a kms-key-id)"));
	}

	@Test
	void aMissingBucketExitsWithConfigurationErrorNamingBucketEndpointAndProperty() {
		String missing = S3Endpoint.uniqueBucketName("missing");

		for (String command : List.of("bucket-check", "bucket-setup")) {
			Result result = ferry(target(missing, this.ceph.secretKey()), command);
			assertThat(result.exitCode()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(result.err()).isEqualTo(lines("ferry: bucket '" + missing + "' does not exist at "
					+ this.ceph.uri() + " (create it, or fix ferry.table-dump.target.bucket)"));
		}
	}

	@Test
	void wrongCredentialsExitWithConfigurationErrorAndNeverShowTheSecret(CapturedOutput log) {
		String secret = "wrong-" + this.ceph.secretKey();

		Result result = ferry(target(this.bucket, secret), "bucket-setup");
		assertThat(result.exitCode()).isEqualTo(ExitCode.CONFIGURATION.code());
		assertThat(result.err()).isEqualTo(lines("ferry: " + this.ceph.uri() + " refused the credentials (access key '"
				+ this.ceph.accessKey() + "') for bucket '" + this.bucket + "': SignatureDoesNotMatch (fix"
				+ " ferry.table-dump.target.access-key-id and ferry.table-dump.target.secret-access-key)"));
		assertThat(result.out() + result.err() + log.getAll()).doesNotContain(secret);
	}

	@Test
	void withoutTableDumpConfiguredTheCommandsNameThePropertiesToSet() {
		for (String command : List.of("bucket-check", "bucket-setup")) {
			Result result = new InProcessCli(this.context).run(command);
			assertThat(result.exitCode()).isEqualTo(ExitCode.CONFIGURATION.code());
			assertThat(result.err()).startsWith("ferry: no job that writes to a bucket is configured")
				.contains("ferry.table-dump.target.bucket (FERRY_TABLEDUMP_TARGET_BUCKET)");
		}
	}

	@Test
	void helpListsTheCommandsAndAnExpiryBelowOneDayIsAUsageError() {
		Result help = new InProcessCli(this.context).run("--help");
		assertThat(help.out()).contains("bucket-check ", "bucket-setup ");

		Result zero = ferry(target(this.bucket, this.ceph.secretKey()), "bucket-check", "--expire-days", "0");
		assertThat(zero.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(zero.err()).contains("--expire-days must be at least 1, not 0");
	}

	List<LifecycleRule> lifecycle() {
		return this.s3.getBucketLifecycleConfiguration((request) -> request.bucket(this.bucket)).rules();
	}

	S3Target target(String bucket, String secretKey) {
		return target(bucket, secretKey, kms());
	}

	S3Target target(String bucket, String secretKey, ServerSideEncryption encryption) {
		S3Location location = new S3Location(this.ceph.uri(), this.ceph.region(), bucket, PREFIX, true,
				S3Location.ChecksumMode.WHEN_REQUIRED, this.ceph.accessKey(), secretKey);
		return S3Target.open(location, encryption, "ferry.table-dump.target", "ferry.table-dump.encryption", 2);
	}

	/**
	 * Runs the CLI with a job's bucket (the default expiry, 14 days) in a child of the
	 * test's context, as if ferry.table-dump.target were configured.
	 */
	Result ferry(S3Target target, String... args) {
		return ferry(target, Map.of(), args);
	}

	/** As above, with more properties in the child context's environment. */
	Result ferry(S3Target target, Map<String, Object> properties, String... args) {
		// the child context closes the target, as TableDumpConfiguration's does
		try (GenericApplicationContext child = new GenericApplicationContext()) {
			child.setParent(this.context);
			child.registerBean(S3Target.class, () -> target);
			child.registerBean(ManagedBucket.class,
					() -> new ManagedBucket("tableDump", () -> target, 14, "ferry.table-dump.expire-days"));
			child.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
			child.refresh();
			return new InProcessCli(child).run(args);
		}
	}

	static String lines(String... lines) {
		return String.join(System.lineSeparator(), lines) + System.lineSeparator();
	}

}
