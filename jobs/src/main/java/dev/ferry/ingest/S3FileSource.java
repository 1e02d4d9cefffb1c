package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import software.amazon.awssdk.core.exception.SdkException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The objects under a prefix of a bucket (seed 004: objects arriving in an S3 bucket).
 * The ledger records an object as {@code s3://bucket/key}, under the directory
 * {@code s3://bucket/prefix/}; its version is its key, size and LastModified (to the
 * second, what both a listing and a HEAD give). Keys are taken as the store lists them
 * ({@code encoding-type=url}, so that control characters survive the XML): whatever
 * {@link FileNames} refuses is rejected with the reason, never changed. A key ending in
 * {@code /} with no content is a console's "folder" and not a file: it is passed over.
 * <p>
 * Downloads ask for the object's stored checksum to be verified where it has one, and a
 * connection that ends before the object's length fails the read (and the ledger's size
 * check, which no truncated download passes). Post-actions: delete, move (copy, then
 * delete: objects up to 5 GiB, CopyObject's limit; the copy with {@code s3-encryption},
 * checked in the answer) and tag. Every store error becomes an IOException naming the
 * object.
 * <p>
 * Thread-safe: stateless over a thread-safe client.
 */
final class S3FileSource implements FileSource {

	private final S3Target bucket;

	private S3FileSource(S3Target bucket) {
		this.bucket = bucket;
	}

	/**
	 * @param location the configured bucket and prefix
	 * @param encryption the encryption of copies (post-action move), or null for none
	 * asked
	 * @param source where the source is configured ({@code ferry.ingest.sources.<name>})
	 */
	static S3FileSource open(S3Location location, @Nullable ServerSideEncryption encryption, String source) {
		return new S3FileSource(S3Target.open(location, (encryption != null) ? encryption : ServerSideEncryption.none(),
				source + ".s3", source + ".s3-encryption", 4));
	}

	/** The source bucket, for {@code bucket-check}. */
	S3Target bucket() {
		return this.bucket;
	}

	@Override
	public String describe() {
		return "s3 " + this.bucket.location().displayEndpoint();
	}

	@Override
	public List<String> directories(IngestProperties.Source settings) {
		return List.of(S3Keys.directory(this.bucket.bucket(), this.bucket.location().key("")));
	}

	@Override
	public void check() {
		this.bucket.checkAccess();
	}

	@Override
	public List<ListedFile> list(String directory, boolean recursive) throws IOException {
		String prefix = S3Keys.key(this.bucket.bucket(), directory);
		List<ListedFile> files = new ArrayList<>();
		String token = null;
		do {
			String continuation = token;
			ListObjectsV2Response page = call("list " + this.bucket.uri(prefix),
					() -> this.bucket.client()
						.listObjectsV2(request -> request.bucket(this.bucket.bucket())
							.prefix(prefix)
							.delimiter(recursive ? null : "/")
							.encodingType(EncodingType.URL)
							.continuationToken(continuation)));
			for (S3Object object : page.contents()) {
				String relative = object.key().substring(prefix.length());
				if (relative.isEmpty() || (relative.endsWith("/") && object.size() == 0)) {
					continue;
				}
				files.add(new ListedFile(directory, relative, object.size(), second(object.lastModified()),
						ListedFile.Kind.REGULAR));
			}
			token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
		}
		while (token != null);
		return files;
	}

	@Override
	public Optional<ListedFile> stat(String directory, String relative) throws IOException {
		String key = S3Keys.key(this.bucket.bucket(), ListedFile.join(directory, relative));
		Optional<HeadObjectResponse> head = head(key);
		return head.map(response -> new ListedFile(directory, relative, response.contentLength(),
				second(response.lastModified()), ListedFile.Kind.REGULAR));
	}

	@Override
	public InputStream open(String path) throws IOException {
		String key = S3Keys.key(this.bucket.bucket(), path);
		return call("read " + this.bucket.uri(key), () -> this.bucket.client()
			.getObject(request -> request.bucket(this.bucket.bucket()).key(key).checksumMode(ChecksumMode.ENABLED)));
	}

	@Override
	public void delete(String path) throws IOException {
		String key = S3Keys.key(this.bucket.bucket(), path);
		call("delete " + this.bucket.uri(key),
				() -> this.bucket.client().deleteObject(request -> request.bucket(this.bucket.bucket()).key(key)));
	}

	/**
	 * Copies the object to the same relative key under another prefix (its metadata with
	 * it), then deletes it. A rerun after a kill between the two copies again.
	 */
	@Override
	public void move(String path, String targetDirectory, String relative) throws IOException {
		String key = S3Keys.key(this.bucket.bucket(), path);
		String target = S3Keys.prefix(targetDirectory) + relative;
		String what = "move " + this.bucket.uri(key) + " to " + this.bucket.uri(target)
				+ " (CopyObject takes objects of at most 5 GiB)";
		ServerSideEncryption encryption = this.bucket.encryption();
		CopyObjectResponse copied = call(what, () -> this.bucket.client().copyObject(request -> {
			request.sourceBucket(this.bucket.bucket())
				.sourceKey(key)
				.destinationBucket(this.bucket.bucket())
				.destinationKey(target);
			if (encryption.algorithm() != ServerSideEncryption.Algorithm.NONE) {
				request.serverSideEncryption(encryption.algorithm().headerValue()).ssekmsKeyId(encryption.kmsKeyId());
			}
		}));
		if (!encryption.isReportedBy(copied.serverSideEncryptionAsString(), copied.ssekmsKeyId())) {
			// nothing readable stays behind: the source is kept, the copy goes
			delete(ListedFile.join(S3Keys.directory(this.bucket.bucket(), ""), target));
			throw new IOException("The store did not apply " + encryption + " to the copy " + this.bucket.uri(target)
					+ " (it answered " + copied.serverSideEncryptionAsString() + "); set "
					+ this.bucket.encryptionProperty() + " to an encryption it applies");
		}
		delete(path);
	}

	@Override
	public void tag(String path, String key, String value) throws IOException {
		String objectKey = S3Keys.key(this.bucket.bucket(), path);
		String what = "tag " + this.bucket.uri(objectKey) + " " + key + "=" + value;
		List<Tag> tags = new ArrayList<>(tags(objectKey, what));
		tags.removeIf(tag -> key.equals(tag.key()));
		tags.add(Tag.builder().key(key).value(value).build());
		call(what,
				() -> this.bucket.client()
					.putObjectTagging(request -> request.bucket(this.bucket.bucket())
						.key(objectKey)
						.tagging(tagging -> tagging.tagSet(tags))));
	}

	@Override
	public @Nullable String tagValue(String path, String key) throws IOException {
		String objectKey = S3Keys.key(this.bucket.bucket(), path);
		return tags(objectKey, "read the tags of " + this.bucket.uri(objectKey)).stream()
			.filter(tag -> key.equals(tag.key()))
			.map(Tag::value)
			.findFirst()
			.orElse(null);
	}

	private List<Tag> tags(String key, String what) throws IOException {
		return call(what,
				() -> this.bucket.client()
					.getObjectTagging(request -> request.bucket(this.bucket.bucket()).key(key))
					.tagSet());
	}

	private Optional<HeadObjectResponse> head(String key) throws IOException {
		try {
			return Optional
				.of(this.bucket.client().headObject(request -> request.bucket(this.bucket.bucket()).key(key)));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw failure("look at " + this.bucket.uri(key), ex);
		}
		catch (SdkException ex) {
			throw failure("look at " + this.bucket.uri(key), ex);
		}
	}

	private <T> T call(String what, StoreCall<T> call) throws IOException {
		try {
			return call.run();
		}
		catch (SdkException ex) {
			throw failure(what, ex);
		}
	}

	private IOException failure(String what, SdkException ex) {
		return new IOException("Could not " + what + " at " + this.bucket.location().displayEndpoint() + " ("
				+ this.bucket.property() + "): " + ex.getMessage(), ex);
	}

	/** LastModified to the second: a listing may give milliseconds, a HEAD never does. */
	private static Instant second(Instant time) {
		return time.truncatedTo(ChronoUnit.SECONDS);
	}

	@Override
	public void close() {
		this.bucket.close();
	}

	@FunctionalInterface
	private interface StoreCall<T> {

		T run();

	}

}
