package dev.ferry.mirror;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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
 * The next page is asked for ahead, on a virtual thread, while the reader works through
 * the current one (the first as soon as the listing is made): the source's and the
 * target's listings of a merge-join, and the copies, overlap instead of waiting for each
 * other. At most two pages are held.
 * <p>
 * Not thread-safe: one reader.
 */
final class Listing {

	private final S3Target location;

	private final String prefix;

	private final KeyFilter filter;

	private final int pageSize;

	private final Deque<ListedObject> page = new ArrayDeque<>();

	/** The page asked for ahead; null after the last page. */
	private @Nullable FutureTask<ListObjectsV2Response> pending;

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
		this(location, prefix, afterKey, filter, 1000);
	}

	/**
	 * @param pageSize keys per ListObjectsV2 page (1000, the most S3 gives, but in tests)
	 */
	Listing(S3Target location, String prefix, @Nullable String afterKey, KeyFilter filter, int pageSize) {
		this.location = location;
		this.prefix = prefix;
		this.filter = filter;
		this.pageSize = pageSize;
		this.previous = afterKey;
		this.pending = ask((afterKey != null) ? this.prefix + afterKey : null, null);
	}

	/** The next object, without taking it; null at the end. */
	@Nullable ListedObject peek() {
		FutureTask<ListObjectsV2Response> pending = this.pending;
		while (this.page.isEmpty() && pending != null) {
			fetch(pending);
			pending = this.pending;
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

	/** Asks for a page on a virtual thread; {@link #fetch} takes it. */
	private FutureTask<ListObjectsV2Response> ask(@Nullable String startAfter, @Nullable String continuationToken) {
		FutureTask<ListObjectsV2Response> page = new FutureTask<>(() -> this.location.client()
			.listObjectsV2(request -> request.bucket(this.location.bucket())
				.prefix(this.prefix)
				.encodingType(EncodingType.URL)
				.maxKeys(this.pageSize)
				.startAfter(startAfter)
				.continuationToken(continuationToken)));
		Thread.ofVirtual().name("listing-" + this.location.bucket()).start(page);
		return page;
	}

	private ListObjectsV2Response take(FutureTask<ListObjectsV2Response> page) {
		try {
			return page.get();
		}
		catch (InterruptedException ex) {
			page.cancel(true);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while listing " + this.location.uri(this.prefix), ex);
		}
		catch (ExecutionException ex) {
			// the S3 client's own exception, as if the call had been made here
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("Listing " + this.location.uri(this.prefix) + " failed", ex.getCause());
		}
	}

	private void fetch(FutureTask<ListObjectsV2Response> pending) {
		ListObjectsV2Response response = take(pending);
		String continuationToken = response.nextContinuationToken();
		boolean lastPage = !Boolean.TRUE.equals(response.isTruncated()) || continuationToken == null;
		// the next page is on its way while this one is read
		this.pending = lastPage ? null : ask(null, continuationToken);
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
	}

}
