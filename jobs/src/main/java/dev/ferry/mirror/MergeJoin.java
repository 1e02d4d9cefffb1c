package dev.ferry.mirror;

import java.util.Optional;

import dev.ferry.common.s3.S3Target;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Walks the source and target listings side by side, both in S3's byte order, and says
 * what each source object is to the target ({@link Difference}); target objects the
 * source does not have are counted as extra (the {@code removeExtra} step deletes them).
 * <p>
 * Unchanged means the same size and the same content, decided without reading either
 * object: equal ETags (a plain MD5 for a single PUT, equal part digests for a multipart
 * upload); otherwise, when the sizes are equal, the target's
 * {@value #SOURCE_ETAG_METADATA} metadata, the source ETag Ferry recorded when it copied
 * the object (a copy's ETag differs from its source's when the part sizes differ or the
 * target encrypts with KMS). Only those target objects cost a HEAD request. A same-size
 * change of content changes the source's ETag, so it is always detected.
 * <p>
 * Not thread-safe: one reader.
 */
final class MergeJoin {

	/** The user metadata in which a copy records its source's ETag. */
	static final String SOURCE_ETAG_METADATA = "ferry-source-etag";

	private final Listing source;

	private final Listing target;

	private final S3Target targetLocation;

	private @Nullable Difference next;

	private long extra;

	MergeJoin(Listing source, Listing target, S3Target targetLocation) {
		this.source = source;
		this.target = target;
		this.targetLocation = targetLocation;
	}

	/** The next source object and what it is to the target, without taking it. */
	@Nullable Difference peek() {
		if (this.next == null) {
			this.next = compute();
		}
		return this.next;
	}

	@Nullable Difference next() {
		Difference difference = peek();
		this.next = null;
		return difference;
	}

	/** Target objects the source does not have, among those passed so far. */
	long extra() {
		return this.extra;
	}

	private @Nullable Difference compute() {
		ListedObject source = this.source.next();
		if (source == null) {
			while (this.target.next() != null) {
				this.extra++;
			}
			return null;
		}
		ListedObject target = this.target.peek();
		while (target != null && ListedObject.compareKeys(target.key(), source.key()) < 0) {
			this.target.next();
			this.extra++;
			target = this.target.peek();
		}
		if (target == null || !target.key().equals(source.key())) {
			return new Difference(source, null, Difference.Kind.NEW);
		}
		this.target.next();
		return new Difference(source, target,
				same(source, target) ? Difference.Kind.UNCHANGED : Difference.Kind.CHANGED);
	}

	private boolean same(ListedObject source, ListedObject target) {
		if (source.size() != target.size() || !source.hasETag() || !target.hasETag()) {
			// an object listed without an ETag cannot be shown equal: it is copied
			return false;
		}
		if (source.eTag().equals(target.eTag())) {
			return true;
		}
		return recordedSourceETag(target.key()).map(source.eTag()::equals).orElse(false);
	}

	private Optional<String> recordedSourceETag(String relativeKey) {
		try {
			HeadObjectResponse head = this.targetLocation.client()
				.headObject(request -> request.bucket(this.targetLocation.bucket())
					.key(this.targetLocation.location().key(relativeKey)));
			return Optional.ofNullable(head.metadata().get(SOURCE_ETAG_METADATA));
		}
		catch (NoSuchKeyException ex) {
			// deleted since the listing: nothing recorded, so it is copied again
			return Optional.empty();
		}
	}

}
