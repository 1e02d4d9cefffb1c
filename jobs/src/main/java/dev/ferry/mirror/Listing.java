package dev.ferry.mirror;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.ferry.common.s3.S3Target;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects under a location's prefix, in S3's order (UTF-8 bytes), one page of
 * ListObjectsV2 at a time, optionally after a key. Pages are asked for with
 * {@code encoding-type=url}: XML 1.0 cannot carry most control characters, and a store
 * that puts them in a listing as they are breaks the response; the AWS SDK decodes the
 * keys again. Keys come relative to the prefix and filtered by the mirror's globs. A
 * store that lists out of order fails the listing rather than a merge-join that would
 * pair the wrong objects.
 * <p>
 * Not thread-safe: one reader.
 */
final class Listing {

	private final S3Target location;

	private final String prefix;

	private final KeyFilter filter;

	private final Deque<ListedObject> page = new ArrayDeque<>();

	private @Nullable String startAfter;

	private @Nullable String continuationToken;

	private boolean lastPage;

	private @Nullable String previous;

	private long listed;

	/**
	 * @param location the bucket and prefix to list
	 * @param afterKey list only keys after this one (relative to the prefix), or null
	 * @param filter the mirror's globs
	 */
	Listing(S3Target location, @Nullable String afterKey, KeyFilter filter) {
		this(location, location.location().key(""), afterKey, filter);
	}

	/**
	 * @param location the bucket to list
	 * @param prefix the key prefix to list under, instead of the location's
	 * @param afterKey list only keys after this one (relative to the prefix), or null
	 * @param filter which relative keys to give
	 */
	Listing(S3Target location, String prefix, @Nullable String afterKey, KeyFilter filter) {
		this.location = location;
		this.prefix = prefix;
		this.filter = filter;
		this.startAfter = (afterKey != null) ? this.prefix + afterKey : null;
		this.previous = afterKey;
	}

	/** The next object, without taking it; null at the end. */
	@Nullable ListedObject peek() {
		while (this.page.isEmpty() && !this.lastPage) {
			fetch();
		}
		return this.page.peekFirst();
	}

	/** Takes the next object; null at the end. */
	@Nullable ListedObject next() {
		ListedObject next = peek();
		if (next != null) {
			this.page.removeFirst();
		}
		return next;
	}

	/** Objects listed so far, filtered ones included. */
	long listed() {
		return this.listed;
	}

	private void fetch() {
		ListObjectsV2Response response = this.location.client()
			.listObjectsV2(request -> request.bucket(this.location.bucket())
				.prefix(this.prefix)
				.encodingType(EncodingType.URL)
				.startAfter((this.continuationToken == null) ? this.startAfter : null)
				.continuationToken(this.continuationToken));
		for (S3Object object : response.contents()) {
			this.listed++;
			String key = object.key().substring(this.prefix.length());
			if (this.previous != null && ListedObject.compareKeys(this.previous, key) >= 0) {
				throw new IllegalStateException("The store at " + this.location.location().displayEndpoint()
						+ " listed " + this.location.uri(object.key()) + " after "
						+ this.location.uri(this.prefix + this.previous)
						+ ", out of S3's byte order; a mirror cannot compare such listings");
			}
			this.previous = key;
			if (this.filter.accepts(key)) {
				this.page.add(new ListedObject(key, object.size(), ListedObject.unquote(object.eTag())));
			}
		}
		this.continuationToken = response.nextContinuationToken();
		this.lastPage = !Boolean.TRUE.equals(response.isTruncated()) || this.continuationToken == null;
		this.startAfter = null;
	}

}
