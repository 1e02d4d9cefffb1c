package dev.ferry.mirror;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.transfer.ResumableUpload;
import dev.ferry.common.transfer.StoredObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The copy of one object above the multipart threshold, as a multipart upload of the
 * target that a restart continues from its next part ({@link ResumableUpload}). One chunk
 * of the step per S3 call: {@link #next} opens the upload (whose id commits before part
 * 1), then sends one part per chunk, then completes it. Each part streams from a ranged
 * GET of the source version being copied ({@code If-Match} its ETag) into the UploadPart
 * ({@link SourceStream}): a copy holds the client's buffers, never a part, so the part
 * size costs no memory and reading the source overlaps writing the target.
 * <p>
 * ExecutionContext keys, under the owner's name: {@code <name>.key} (the key relative to
 * the source prefix), {@code <name>.sourceETag} and {@code <name>.size} (the version
 * being copied), and the upload's own {@code <name>.uploadId}, {@code .parts},
 * {@code .bytes}, {@code .allPartsUploaded}. The mirror copies several at once, each
 * under the name of its slot ({@code s3Mirror.upload}, {@code s3Mirror.upload1}...: see
 * {@link LargeBatch}); routed egress copies one at a time under {@code s3Egress.upload}.
 * <p>
 * Not thread-safe: driven by one thread at a time (the step's, or one of its virtual
 * threads for a {@link #next} call that the step waits for).
 */
final class LargeCopy {

	private static final Logger logger = LoggerFactory.getLogger(LargeCopy.class);

	private static final String KEY = ".key";

	private static final String SOURCE_ETAG = ".sourceETag";

	private static final String SIZE = ".size";

	/** S3's most parts per upload. */
	private static final int MAX_PARTS = 10_000;

	private final CopyEnds ends;

	private final String name;

	private final String key;

	private final String sourceETag;

	private final long size;

	private final int partSize;

	private final ResumableUpload upload;

	private final Attempts attempts;

	private LargeCopy(CopyEnds ends, String name, long partSize, String key, String sourceETag, long size,
			ResumableUpload upload, Attempts attempts) {
		this.ends = ends;
		this.name = name;
		this.key = key;
		this.sourceETag = sourceETag;
		this.size = size;
		this.upload = upload;
		this.attempts = attempts;
		this.partSize = partSize(partSize, size);
	}

	/**
	 * The part size of an object: the configured one, raised for an object of more than
	 * 10,000 parts (S3's most). A fixed function of the size: a resumed upload cuts the
	 * same parts.
	 */
	static int partSize(long configured, long size) {
		return (int) Math.max(configured, (size + MAX_PARTS - 1) / MAX_PARTS);
	}

	/** Starts the copy of a mirror's source object under a name (see below). */
	static LargeCopy start(MirrorPair mirror, String name, String key, Attempts attempts) {
		return start(mirror.ends(), name, mirror.settings().partSize().toBytes(), key, attempts);
	}

	/** The copy a killed run of a mirror left in a context under a name (see below). */
	static @Nullable LargeCopy restore(MirrorPair mirror, String name, ExecutionContext context, Attempts attempts) {
		return restore(mirror.ends(), name, mirror.settings().partSize().toBytes(), context, attempts);
	}

	/**
	 * Starts the copy of a source object: its headers and metadata from a HEAD, which
	 * also names the version whose parts are read.
	 */
	static LargeCopy start(CopyEnds ends, String name, long partSize, String key, Attempts attempts) {
		HeadObjectResponse head = attempts.run("Reading the headers of " + ends.source().uri(ends.sourceKey(key)),
				() -> ends.source()
					.client()
					.headObject(request -> request.bucket(ends.source().bucket()).key(ends.sourceKey(key))));
		StoredObject target = new StoredObject(ends.target(), ends.targetKey(key),
				ObjectCopy.metadata(head.metadata(), head.eTag()), ObjectCopy.headers(head));
		return new LargeCopy(ends, name, partSize, key, ListedObject.unquote(head.eTag()), head.contentLength(),
				new ResumableUpload(name, target, ObjectCopy.headers(head).contentType()), attempts);
	}

	/**
	 * The copy a killed run left in a context, if any, not yet checked with the store.
	 */
	static @Nullable LargeCopy restore(CopyEnds ends, String name, long partSize, ExecutionContext context,
			Attempts attempts) {
		if (!context.containsKey(name + KEY)) {
			return null;
		}
		String key = context.getString(name + KEY);
		ResumableUpload upload = new ResumableUpload(name, new StoredObject(ends.target(), ends.targetKey(key)),
				"application/octet-stream");
		upload.open(context);
		return new LargeCopy(ends, name, partSize, key, context.getString(name + SOURCE_ETAG),
				context.getLong(name + SIZE), upload, attempts);
	}

	static void clear(String name, ExecutionContext context) {
		for (String suffix : new String[] { "key", "sourceETag", "size", ResumableUpload.UPLOAD_ID,
				ResumableUpload.PARTS, ResumableUpload.BYTES, ResumableUpload.ALL_PARTS_UPLOADED }) {
			context.remove(name + "." + suffix);
		}
	}

	void update(ExecutionContext context) {
		context.putString(this.name + KEY, this.key);
		context.putString(this.name + SOURCE_ETAG, this.sourceETag);
		context.putLong(this.name + SIZE, this.size);
		this.upload.update(context);
	}

	String key() {
		return this.key;
	}

	/** The name its ExecutionContext keys are under. */
	String name() {
		return this.name;
	}

	/** Whether a restored copy is of this source version, and may go on. */
	boolean copies(ListedObject source) {
		return source.key().equals(this.key) && source.eTag().equals(this.sourceETag) && source.size() == this.size;
	}

	/** Asks the store how the restored upload stands. */
	ResumableUpload.Resumption resume() {
		ResumableUpload.Resumption resumption = this.upload.resume();
		logger.info("{}: {} multipart upload after {} part(s), {} of {}", this.ends.copyLine(this.key), resumption,
				this.upload.partCount(), MirrorLog.mib(this.upload.bytes()), MirrorLog.mib(this.size));
		return resumption;
	}

	/** Aborts what a restored copy left open: its source changed, or it is not needed. */
	void discard() {
		this.upload.discard();
	}

	/**
	 * One step of the copy.
	 * @return whether the object is complete
	 */
	boolean next(StepProgress progress) {
		if (!this.upload.begun()) {
			this.attempts.run("Starting a multipart upload of " + this.upload.uri(), () -> {
				this.upload.begin();
				return null;
			});
			return false;
		}
		if (!this.upload.allPartsUploaded()) {
			long offset = this.upload.bytes();
			int length = (int) Math.min(this.partSize, this.size - offset);
			int number = this.upload.partCount() + 1;
			this.attempts.run("Copying part " + number + " of " + this.ends.copyLine(this.key), () -> {
				try (SourceStream part = SourceStream.range(this.ends.source(), this.ends.sourceKey(this.key),
						this.sourceETag, offset, length)) {
					this.upload.sendPart(part, length);
				}
				return null;
			});
			progress.addBytes(length);
			if (offset + length == this.size) {
				this.upload.markAllPartsSent();
			}
			return false;
		}
		this.attempts.run("Completing the multipart upload of " + this.upload.uri(), () -> {
			this.upload.complete();
			return null;
		});
		logger.info(this.ends.copyLine(this.key));
		return true;
	}

}
