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
import software.amazon.awssdk.services.s3.model.ChecksumMode;
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
 * delete: objects up to 5 GiB, CopyObject's limit) and tag. Every store error becomes an
 * IOException naming the object.
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
	 * @param property where it is configured ({@code ferry.ingest.sources.<name>.s3})
	 */
	static S3FileSource open(S3Location location, String property) {
		return new S3FileSource(S3Target.open(location, ServerSideEncryption.none(), property, property, 4));
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
		call("move " + this.bucket.uri(key) + " to " + this.bucket.uri(target) + " (CopyObject takes objects of"
				+ " at most 5 GiB)",
				() -> this.bucket.client()
					.copyObject(request -> request.sourceBucket(this.bucket.bucket())
						.sourceKey(key)
						.destinationBucket(this.bucket.bucket())
						.destinationKey(target)));
		delete(path);
	}

	@Override
	public void tag(String path, String key, String value) throws IOException {
		String objectKey = S3Keys.key(this.bucket.bucket(), path);
		String what = "tag " + this.bucket.uri(objectKey) + " " + key + "=" + value;
		List<Tag> tags = new ArrayList<>(call(what,
				() -> this.bucket.client()
					.getObjectTagging(request -> request.bucket(this.bucket.bucket()).key(objectKey))
					.tagSet()));
		tags.removeIf(tag -> key.equals(tag.key()));
		tags.add(Tag.builder().key(key).value(value).build());
		call(what,
				() -> this.bucket.client()
					.putObjectTagging(request -> request.bucket(this.bucket.bucket())
						.key(objectKey)
						.tagging(tagging -> tagging.tagSet(tags))));
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
