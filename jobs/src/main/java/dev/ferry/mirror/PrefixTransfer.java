package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.transfer.ResumableUpload;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The transfer of one flag's folder to one route's destination, one chunk per
 * {@link #next} call: the objects under the folder in listing order (up to
 * {@code chunk-keys} keys or {@code chunk-size} bytes, sent at once up to
 * {@code concurrency}), then the flag itself, last, so that the destination holds a flag
 * only once everything it stands for is there. An object above
 * {@code multipart-threshold} going to S3 is a run of chunks of its own
 * ({@link LargeCopy}), resumable by part; to a directory it is one file
 * ({@link ObjectWrites}).
 * <p>
 * ExecutionContext keys (with the step's): {@code s3Egress.after} (the last object done,
 * relative to the flag's folder; absent before the first),
 * {@code s3Egress.transfer.objects} and {@code s3Egress.transfer.bytes} (done so far),
 * and {@code s3Egress.upload.*} while a large object is in flight (see
 * {@link LargeCopy}). A restart lists the folder after the watermark; objects of a chunk
 * that a crash cut off are written again, over themselves.
 * <p>
 * Not thread-safe: driven by the step's thread; only a chunk's objects run on others.
 */
final class PrefixTransfer {

	private static final Logger logger = LoggerFactory.getLogger(PrefixTransfer.class);

	static final String NAME = "s3Egress";

	static final String UPLOAD = NAME + ".upload";

	static final String AFTER = NAME + ".after";

	static final String OBJECTS = NAME + ".transfer.objects";

	static final String BYTES = NAME + ".transfer.bytes";

	private static final KeyFilter ALL = new KeyFilter(List.of(), List.of());

	private final RoutedFlag transfer;

	private final ObjectWrites writes;

	private final S3EgressProperties settings;

	private final Attempts attempts;

	private final ExecutorService executor;

	private final Semaphore slots;

	private @Nullable String after;

	private long objects;

	private long bytes;

	private @Nullable LargeCopy large;

	private boolean largeChecked = true;

	private @Nullable Listing listing;

	PrefixTransfer(RoutedFlag transfer, ObjectWrites writes, S3EgressProperties settings, Attempts attempts,
			ExecutorService executor, Semaphore slots) {
		this.transfer = transfer;
		this.writes = writes;
		this.settings = settings;
		this.attempts = attempts;
		this.executor = executor;
		this.slots = slots;
	}

	RoutedFlag transfer() {
		return this.transfer;
	}

	/** Where the transfer goes, as the ledger records it. */
	String destination() {
		return this.writes.destination();
	}

	long objects() {
		return this.objects;
	}

	long bytes() {
		return this.bytes;
	}

	/** Continues where a killed run's checkpoint says. */
	void restore(ExecutionContext context) {
		this.after = context.containsKey(AFTER) ? context.getString(AFTER) : null;
		this.objects = context.getLong(OBJECTS, 0);
		this.bytes = context.getLong(BYTES, 0);
		CopyEnds ends = this.writes.ends();
		if (ends != null) {
			this.large = LargeCopy.restore(ends, UPLOAD, this.settings.partSize().toBytes(), context, this.attempts);
			this.largeChecked = this.large == null;
		}
	}

	void update(ExecutionContext context) {
		if (this.after != null) {
			context.putString(AFTER, this.after);
		}
		context.putLong(OBJECTS, this.objects);
		context.putLong(BYTES, this.bytes);
		if (this.large != null) {
			this.large.update(context);
		}
		else {
			LargeCopy.clear(UPLOAD, context);
		}
	}

	static void clear(ExecutionContext context) {
		context.remove(AFTER);
		context.remove(OBJECTS);
		context.remove(BYTES);
		LargeCopy.clear(UPLOAD, context);
	}

	/**
	 * One chunk.
	 * @return whether the transfer is complete: every object and the flag written
	 */
	boolean next(StepContribution contribution, StepProgress progress) {
		Listing listing = listing();
		if (!this.largeChecked) {
			checkRestoredLargeCopy(listing);
		}
		LargeCopy large = this.large;
		if (large != null) {
			ListedObject object = listing.peek();
			if (large.next(progress) && object != null) {
				listing.next();
				done(object, contribution);
				this.large = null;
			}
			return false;
		}
		List<ListedObject> chunk = nextChunk(listing);
		if (!chunk.isEmpty()) {
			sendAll(chunk, contribution);
			return false;
		}
		if (this.large != null) {
			return false;
		}
		ListedObject flag = new ListedObject(Flag.NAME, 0, this.transfer.flag().eTag());
		if (this.attempts.run("Sending " + this.writes.line(Flag.NAME),
				() -> this.writes.send(flag)) == ObjectCopy.Outcome.VANISHED) {
			logger.warn("{}: the flag was deleted before it could be sent; its objects are sent",
					this.transfer.describe());
		}
		else {
			this.objects++;
			contribution.incrementWriteCount(1);
		}
		contribution.incrementReadCount();
		return true;
	}

	private Listing listing() {
		if (this.listing == null) {
			this.listing = new Listing(this.writes.source(), this.transfer.flag().folder(), this.after, ALL);
		}
		return this.listing;
	}

	/**
	 * A killed run's large copy goes on only if it is still the next object, unchanged.
	 */
	private void checkRestoredLargeCopy(Listing listing) {
		this.largeChecked = true;
		LargeCopy restored = this.large;
		ListedObject next = listing.peek();
		if (restored == null
				|| (next != null && restored.copies(next) && restored.resume() == ResumableUpload.Resumption.RESUMED)) {
			return;
		}
		logger.info(
				"{}: the multipart upload of {} left by an earlier run is not needed any more (the source changed,"
						+ " the copy is complete, or the upload is gone); aborting it",
				this.transfer.describe(), MirrorLog.escape(restored.key()));
		restored.discard();
		this.large = null;
	}

	/** The next run of keys but the flag, stopping before a large object to copy. */
	private List<ListedObject> nextChunk(Listing listing) {
		List<ListedObject> chunk = new ArrayList<>();
		long chunkBytes = 0;
		while (chunk.size() < this.settings.chunkKeys() && chunkBytes < this.settings.chunkSize().toBytes()) {
			ListedObject next = listing.peek();
			if (next == null) {
				break;
			}
			if (next.key().equals(Flag.NAME)) {
				listing.next();
				continue;
			}
			CopyEnds ends = this.writes.ends();
			if (ends != null && next.size() > this.settings.multipartThreshold().toBytes()) {
				if (chunk.isEmpty()) {
					this.large = LargeCopy.start(ends, UPLOAD, this.settings.partSize().toBytes(), next.key(),
							this.attempts);
				}
				break;
			}
			listing.next();
			chunk.add(next);
			chunkBytes += next.size();
		}
		return chunk;
	}

	private void sendAll(List<ListedObject> chunk, StepContribution contribution) {
		List<Future<ObjectCopy.Outcome>> sends = new ArrayList<>();
		for (ListedObject object : chunk) {
			sends.add(this.executor.submit(() -> sendInSlot(object)));
		}
		List<Throwable> failures = new ArrayList<>();
		List<String> failed = new ArrayList<>();
		List<ObjectCopy.Outcome> outcomes = new ArrayList<>();
		for (int i = 0; i < chunk.size(); i++) {
			try {
				outcomes.add(sends.get(i).get());
			}
			catch (ExecutionException ex) {
				failures.add(ex.getCause());
				failed.add(this.writes.line(chunk.get(i).key()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while sending " + this.transfer.describe(), ex);
			}
		}
		if (!failures.isEmpty()) {
			IllegalStateException failure = new IllegalStateException(this.transfer.describe() + ": " + failures.size()
					+ " object(s) failed after " + Attempts.MAX_ATTEMPTS + " attempts: " + String.join(", ", failed)
					+ ". The objects before them are checkpointed; run the job again to"
					+ " resume there. First failure: " + failures.getFirst().getMessage(), failures.getFirst());
			failures.stream().skip(1).forEach(failure::addSuppressed);
			throw failure;
		}
		// only now: a chunk counts, and moves the watermark, once every object is done
		for (int i = 0; i < chunk.size(); i++) {
			if (outcomes.get(i) == ObjectCopy.Outcome.VANISHED) {
				contribution.incrementReadCount();
				this.after = chunk.get(i).key();
			}
			else {
				done(chunk.get(i), contribution);
			}
		}
	}

	private void done(ListedObject object, StepContribution contribution) {
		contribution.incrementReadCount();
		contribution.incrementWriteCount(1);
		this.objects++;
		this.bytes += object.size();
		this.after = object.key();
	}

	private ObjectCopy.Outcome sendInSlot(ListedObject object) throws InterruptedException {
		this.slots.acquire();
		try {
			return this.attempts.run("Sending " + this.writes.line(object.key()), () -> this.writes.send(object));
		}
		finally {
			this.slots.release();
		}
	}

}
