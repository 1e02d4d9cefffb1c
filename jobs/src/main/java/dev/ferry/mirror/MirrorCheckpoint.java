package dev.ferry.mirror;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How far the copy of a mirror got, in the {@code copyObjects} step's ExecutionContext,
 * written at every chunk commit:
 * <ul>
 * <li>{@code s3Mirror.after}: the watermark, a key relative to the source prefix below
 * which (inclusive) every source object is copied or found unchanged; absent before the
 * first chunk. Objects of a chunk finish in any order; the chunk commits once all are
 * done, so the watermark is the last key of the last committed chunk. A restart lists the
 * source after it, and what a killed chunk had copied already compares as unchanged.</li>
 * <li>{@code s3Mirror.new}, {@code s3Mirror.changed}, {@code s3Mirror.unchanged},
 * {@code s3Mirror.vanished}, {@code s3Mirror.skipped}: objects per kind up to the
 * watermark (vanished: listed, then gone from the source before they were read; skipped:
 * failed every attempt within the mirror's {@code skip-limit}, each recorded in
 * {@code ferry_skipped_object});</li>
 * <li>{@code s3Mirror.totalBytes} (source bytes up to the watermark),
 * {@code s3Mirror.transferredBytes} (bytes copied) and {@code s3Mirror.elapsedMillis}
 * (time spent in this step, over all runs): the closing {@code Total:} line.</li>
 * <li>{@code s3Mirror.extraListed}: target objects the source does not have, written when
 * the step finishes, and only when one execution listed both sides from the start (no
 * watermark when it opened). The {@code removeExtra} step reports it instead of listing
 * both sides again when it deletes nothing; after a restart it is absent, and that step
 * lists.</li>
 * </ul>
 * Large objects in flight keep their own keys beside these, one slot each:
 * {@code s3Mirror.upload.*} for the first, {@code s3Mirror.upload1.*},
 * {@code s3Mirror.upload2.*}... for the others of a batch, each with the keys of
 * {@link LargeCopy} ({@code .key}, {@code .sourceETag}, {@code .size}, {@code .uploadId},
 * {@code .parts}, {@code .bytes}, {@code .allPartsUploaded}); see {@link LargeBatch}. The
 * watermark only moves past a batch once every copy of it is done. No content and no
 * secret is kept; keys are the bucket's own names.
 * <p>
 * Not thread-safe: updated by the step's thread between chunks.
 */
final class MirrorCheckpoint {

	static final String NAME = "s3Mirror";

	static final String AFTER = NAME + ".after";

	static final String NEW = NAME + ".new";

	static final String CHANGED = NAME + ".changed";

	static final String UNCHANGED = NAME + ".unchanged";

	static final String VANISHED = NAME + ".vanished";

	static final String SKIPPED = NAME + ".skipped";

	static final String TOTAL_BYTES = NAME + ".totalBytes";

	static final String TRANSFERRED_BYTES = NAME + ".transferredBytes";

	static final String ELAPSED_MILLIS = NAME + ".elapsedMillis";

	static final String EXTRA_LISTED = NAME + ".extraListed";

	@Nullable String after;

	long newObjects;

	long changed;

	long unchanged;

	long vanished;

	long skipped;

	long totalBytes;

	long transferredBytes;

	long elapsedMillis;

	/** Extra target objects, once a complete listing of one execution counted them. */
	@Nullable Long extraListed;

	static MirrorCheckpoint from(ExecutionContext context) {
		MirrorCheckpoint checkpoint = new MirrorCheckpoint();
		checkpoint.after = context.containsKey(AFTER) ? context.getString(AFTER) : null;
		checkpoint.newObjects = context.getLong(NEW, 0);
		checkpoint.changed = context.getLong(CHANGED, 0);
		checkpoint.unchanged = context.getLong(UNCHANGED, 0);
		checkpoint.vanished = context.getLong(VANISHED, 0);
		checkpoint.skipped = context.getLong(SKIPPED, 0);
		checkpoint.totalBytes = context.getLong(TOTAL_BYTES, 0);
		checkpoint.transferredBytes = context.getLong(TRANSFERRED_BYTES, 0);
		checkpoint.elapsedMillis = context.getLong(ELAPSED_MILLIS, 0);
		checkpoint.extraListed = context.containsKey(EXTRA_LISTED) ? context.getLong(EXTRA_LISTED) : null;
		return checkpoint;
	}

	void writeTo(ExecutionContext context) {
		if (this.after != null) {
			context.putString(AFTER, this.after);
		}
		context.putLong(NEW, this.newObjects);
		context.putLong(CHANGED, this.changed);
		context.putLong(UNCHANGED, this.unchanged);
		context.putLong(VANISHED, this.vanished);
		context.putLong(SKIPPED, this.skipped);
		context.putLong(TOTAL_BYTES, this.totalBytes);
		context.putLong(TRANSFERRED_BYTES, this.transferredBytes);
		context.putLong(ELAPSED_MILLIS, this.elapsedMillis);
		if (this.extraListed != null) {
			context.putLong(EXTRA_LISTED, this.extraListed);
		}
		else {
			context.remove(EXTRA_LISTED);
		}
	}

	/** Counts an object that is done, and moves the watermark to it. */
	void done(Difference difference, boolean copied) {
		switch (difference.kind()) {
			case NEW -> this.newObjects++;
			case CHANGED -> this.changed++;
			case UNCHANGED -> this.unchanged++;
		}
		this.totalBytes += difference.source().size();
		if (copied) {
			this.transferredBytes += difference.source().size();
		}
		this.after = difference.key();
	}

	/** Counts an object that is gone from the source, and moves the watermark past it. */
	void vanished(Difference difference) {
		this.vanished++;
		this.after = difference.key();
	}

	/**
	 * Counts an object that failed and was skipped (and recorded), and moves the
	 * watermark past it: its size counts as compared, not as transferred.
	 */
	void skipped(Difference difference) {
		this.skipped++;
		this.totalBytes += difference.source().size();
		this.after = difference.key();
	}

}
