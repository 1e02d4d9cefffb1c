package dev.ferry.testkit;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where an S3-compatible test server answers and how to sign requests for it: an S3Proxy
 * child process ({@link S3ProxyServer}) or the Ceph RADOS Gateway ({@link CephRgw}).
 * <p>
 * {@link #client()} builds an AWS SDK v2 client with the settings every Ferry test store
 * needs: path-style addressing, the endpoint's region (us-east-1), static credentials,
 * the Apache HTTP client, and checksums only {@code WHEN_REQUIRED} (Ceph RGW 16 rejects
 * the SDK's default aws-chunked trailing checksums, see quirk 3 in
 * {@code batch-common/src/test/ceph/README.md}).
 * <p>
 * Immutable and thread-safe; every {@link #client()} call returns a new client that the
 * caller closes.
 *
 * @param uri the endpoint, for example {@code http://127.0.0.1:7480}
 * @param region the signing region, {@code us-east-1} for all test servers
 * @param accessKey the access key id
 * @param secretKey the secret access key (a test credential)
 */
public record S3Endpoint(URI uri, String region, String accessKey, String secretKey) {

	/** The region every Ferry test server is used with. */
	public static final String DEFAULT_REGION = "us-east-1";

	private static final SecureRandom random = new SecureRandom();

	/**
	 * @return static credentials for this endpoint
	 */
	public AwsCredentialsProvider credentialsProvider() {
		return StaticCredentialsProvider.create(AwsBasicCredentials.create(this.accessKey, this.secretKey));
	}

	/**
	 * A client builder preconfigured for this endpoint, for tests that need to change a
	 * setting (for example to reproduce the SDK's default checksum behaviour).
	 * @return a new builder
	 */
	public S3ClientBuilder clientBuilder() {
		return S3Client.builder()
			.endpointOverride(this.uri)
			.region(Region.of(this.region))
			.forcePathStyle(true)
			.credentialsProvider(credentialsProvider())
			.httpClientBuilder(ApacheHttpClient.builder())
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
	}

	/**
	 * @return a new S3 client for this endpoint; the caller closes it
	 */
	public S3Client client() {
		return clientBuilder().build();
	}

	/**
	 * A bucket name that no other test uses: {@code prefix} (lower-cased, anything but
	 * {@code a-z0-9-} replaced by {@code -}) plus 12 random hex digits, at most 63
	 * characters.
	 * @param prefix a readable prefix, for example the test's name
	 * @return a valid, unique bucket name
	 */
	public static String uniqueBucketName(String prefix) {
		String cleaned = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
		if (cleaned.isEmpty()) {
			cleaned = "test";
		}
		byte[] bytes = new byte[6];
		random.nextBytes(bytes);
		String suffix = HexFormat.of().formatHex(bytes);
		int maxPrefix = 63 - suffix.length() - 1;
		if (cleaned.length() > maxPrefix) {
			cleaned = cleaned.substring(0, maxPrefix).replaceAll("-+$", "");
		}
		return cleaned + "-" + suffix;
	}

	/**
	 * Creates a bucket with a {@link #uniqueBucketName(String) unique name}.
	 * @param prefix a readable prefix, for example the test's name
	 * @return the name of the new bucket
	 */
	public String createBucket(String prefix) {
		String bucket = uniqueBucketName(prefix);
		try (S3Client s3 = client()) {
			s3.createBucket((request) -> request.bucket(bucket));
		}
		return bucket;
	}

	/**
	 * Deletes a bucket with everything in it: objects and unfinished multipart uploads
	 * (not old versions of a versioned bucket). Does nothing if the bucket does not
	 * exist.
	 * @param bucket the bucket name
	 */
	public void deleteBucket(String bucket) {
		try (S3Client s3 = client()) {
			for (MultipartUpload upload : s3.listMultipartUploadsPaginator((request) -> request.bucket(bucket))
				.uploads()) {
				s3.abortMultipartUpload(
						(request) -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
			}
			List<ObjectIdentifier> batch = new ArrayList<>();
			for (S3Object object : s3.listObjectsV2Paginator((request) -> request.bucket(bucket)).contents()) {
				batch.add(ObjectIdentifier.builder().key(object.key()).build());
				if (batch.size() == 1000) {
					deleteObjects(s3, bucket, batch);
				}
			}
			deleteObjects(s3, bucket, batch);
			s3.deleteBucket((request) -> request.bucket(bucket));
		}
		catch (NoSuchBucketException ex) {
			// nothing to delete
		}
	}

	private static void deleteObjects(S3Client s3, String bucket, List<ObjectIdentifier> batch) {
		if (batch.isEmpty()) {
			return;
		}
		Delete delete = Delete.builder().objects(List.copyOf(batch)).quiet(true).build();
		s3.deleteObjects((request) -> request.bucket(bucket).delete(delete));
		batch.clear();
	}

	@Override
	public String toString() {
		return "S3Endpoint[" + this.uri + ", region " + this.region + ", access key " + this.accessKey + "]";
	}

}
