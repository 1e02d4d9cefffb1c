package dev.ferry.mirror;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How far the {@code sendPrefixes} step got, in its ExecutionContext, written at every
 * chunk commit:
 * <ul>
 * <li>the transfer in flight, absent between two: {@code s3Egress.flag.key},
 * {@code s3Egress.flag.eTag}, {@code s3Egress.flag.lastModified} (ISO-8601), and its
 * route's {@code s3Egress.route.sourcePrefix} and {@code s3Egress.route.pipelineName}
 * (the bucket is the source's); its progress under the keys of
 * {@link PrefixTransfer};</li>
 * <li>{@code s3Egress.flags}, {@code s3Egress.objects}, {@code s3Egress.bytes}: the
 * transfers completed by this step, over all its runs, with their objects and bytes.</li>
 * </ul>
 * Keys and ETags of the bucket, never content, never a secret.
 * <p>
 * Not thread-safe: updated by the step's thread between chunks.
 */
final class EgressCheckpoint {

	static final String FLAG_KEY = PrefixTransfer.NAME + ".flag.key";

	static final String FLAG_ETAG = PrefixTransfer.NAME + ".flag.eTag";

	static final String FLAG_LAST_MODIFIED = PrefixTransfer.NAME + ".flag.lastModified";

	static final String ROUTE_PREFIX = PrefixTransfer.NAME + ".route.sourcePrefix";

	static final String ROUTE_PIPELINE = PrefixTransfer.NAME + ".route.pipelineName";

	static final String FLAGS = PrefixTransfer.NAME + ".flags";

	static final String OBJECTS = PrefixTransfer.NAME + ".objects";

	static final String BYTES = PrefixTransfer.NAME + ".bytes";

	long flags;

	long objects;

	long bytes;

	/**
	 * The transfer in flight a killed run left, if any.
	 *
	 * @param flag the flag
	 * @param sourcePrefix its route's source prefix
	 * @param pipelineName its route's pipeline name
	 */
	record InFlight(Flag flag, String sourcePrefix, String pipelineName) {
	}

	static EgressCheckpoint from(ExecutionContext context) {
		EgressCheckpoint checkpoint = new EgressCheckpoint();
		checkpoint.flags = context.getLong(FLAGS, 0);
		checkpoint.objects = context.getLong(OBJECTS, 0);
		checkpoint.bytes = context.getLong(BYTES, 0);
		return checkpoint;
	}

	static @Nullable InFlight inFlight(ExecutionContext context) {
		if (!context.containsKey(FLAG_KEY)) {
			return null;
		}
		return new InFlight(
				new Flag(context.getString(FLAG_KEY), context.getString(FLAG_ETAG),
						Instant.parse(context.getString(FLAG_LAST_MODIFIED))),
				context.getString(ROUTE_PREFIX), context.getString(ROUTE_PIPELINE));
	}

	void writeTo(ExecutionContext context, @Nullable PrefixTransfer current) {
		context.putLong(FLAGS, this.flags);
		context.putLong(OBJECTS, this.objects);
		context.putLong(BYTES, this.bytes);
		if (current == null) {
			for (String key : new String[] { FLAG_KEY, FLAG_ETAG, FLAG_LAST_MODIFIED, ROUTE_PREFIX, ROUTE_PIPELINE }) {
				context.remove(key);
			}
			PrefixTransfer.clear(context);
			return;
		}
		RoutedFlag transfer = current.transfer();
		context.putString(FLAG_KEY, transfer.flag().key());
		context.putString(FLAG_ETAG, transfer.flag().eTag());
		context.putString(FLAG_LAST_MODIFIED, transfer.flag().lastModified().toString());
		context.putString(ROUTE_PREFIX, transfer.route().sourcePrefix());
		context.putString(ROUTE_PIPELINE, transfer.route().pipelineName());
		current.update(context);
	}

}
