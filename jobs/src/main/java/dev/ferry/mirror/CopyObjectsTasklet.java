package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import dev.ferry.common.batch.JobShare;
import dev.ferry.common.progress.StepProgress;
import dev.ferry.mirror.Attempts.CopyFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code copyObjects} step: merge-joins the source and target listings
 * ({@link MergeJoin}) and copies what is new or changed, one chunk per {@link #execute}
 * call.
 * <ul>
 * <li>A chunk is a run of source keys in listing order (up to {@code chunk-keys} keys or
 * {@code chunk-size} bytes to copy). Its objects are copied at once on virtual threads,
 * up to {@code concurrency}, and finish in any order; the chunk commits when every one is
 * done, moving the watermark ({@link MirrorCheckpoint}) to its last key.</li>
 * <li>Objects above {@code multipart-threshold} that have to be copied, consecutive in
 * the listing, are copied several at once as a batch ({@link LargeBatch}): a run of
 * chunks of their own, each advancing every copy by one S3 call ({@link LargeCopy}), so
 * that each upload id commits before its part 1 and a restart continues each upload from
 * its next part. The watermark moves past the batch once every copy of it is done.</li>
 * <li>An object that fails is tried {@value Attempts#MAX_ATTEMPTS} times; then the other
 * objects of the chunk finish and the step fails, naming every failed key, without
 * committing the chunk. A restart lists from the watermark; what the failed chunk did
 * copy compares as unchanged.</li>
 * <li>Within the mirror's {@code skip-limit}, failed objects are skipped instead: logged,
 * recorded in {@code ferry_skipped_object} and counted ({@code s3Mirror.skipped}) in the
 * chunk that commits past them, and the step ends with exit code
 * {@code COMPLETED_WITH_SKIPS} ({@link MirrorSkips}).</li>
 * <li>With {@code dry-run}, it logs what it would copy and writes nothing.</li>
 * <li>A pod of an Indexed Job copies only the keys of its share ({@link KeyFilter}); the
 * watermark is then the last key of the share that committed.</li>
 * </ul>
 * Not thread-safe as a whole: step-scoped, one per run; only the copies of a chunk (or
 * the S3 calls of a batch) run on other threads.
 */
class CopyObjectsTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(CopyObjectsTasklet.class);

	private final MirrorPair mirror;

	private final StepProgress progress;

	private final Attempts attempts;

	private final MirrorSkips skips;

	private final ObjectCopy copy;

	private final KeyFilter filter;

	private final long threshold;

	private final boolean dryRun;

	private final Semaphore slots;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private MirrorCheckpoint checkpoint = new MirrorCheckpoint();

	private @Nullable MergeJoin join;

	/** The large objects being copied. */
	private @Nullable LargeBatch batch;

	/**
	 * The large copies a killed run left in the context, until the first chunk merges
	 * them with the join ({@link LargeBatch#resume}); saved as they are until then.
	 */
	private List<LargeCopy> restored = List.of();

	private long startedAt;

	/**
	 * Whether this execution lists both sides from the start, so that the join's count of
	 * extra objects is the whole count.
	 */
	private boolean listsFromStart;

	CopyObjectsTasklet(MirrorPair mirror, JobShare share, StepProgress progress, Attempts attempts, MirrorSkips skips) {
		this.mirror = mirror;
		this.filter = mirror.filter().within(share);
		this.progress = progress;
		this.attempts = attempts;
		this.skips = skips;
		this.copy = new ObjectCopy(mirror.ends(), progress);
		this.threshold = mirror.settings().multipartThreshold().toBytes();
		this.dryRun = mirror.settings().dryRun();
		this.slots = new Semaphore(mirror.settings().concurrency());
		progress.setItemName("objects");
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.checkpoint = MirrorCheckpoint.from(executionContext);
		this.restored = LargeBatch.restore(this.mirror, executionContext, this.attempts);
		this.batch = null;
		this.startedAt = System.currentTimeMillis();
		this.listsFromStart = this.checkpoint.after == null;
		this.checkpoint.extraListed = null;
		if (this.checkpoint.after != null) {
			logger.info("Mirror '{}': resuming after {}", this.mirror.name(),
					MirrorLog.object(this.mirror.source().bucket(), this.mirror.sourceKey(this.checkpoint.after)));
		}
	}

	@Override
	public void update(ExecutionContext executionContext) {
		long now = System.currentTimeMillis();
		this.checkpoint.elapsedMillis += now - this.startedAt;
		this.startedAt = now;
		this.checkpoint.writeTo(executionContext);
		if (this.batch != null) {
			this.batch.update(executionContext);
		}
		else {
			LargeBatch.write(this.restored, executionContext);
		}
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		MergeJoin join = join();
		if (!this.restored.isEmpty()) {
			List<LargeCopy> restored = this.restored;
			this.restored = List.of();
			this.batch = LargeBatch.resume(this.mirror, this.attempts, restored, join, this::isLarge);
		}
		if (this.batch != null) {
			advance(this.batch, contribution);
			return RepeatStatus.CONTINUABLE;
		}
		List<Difference> chunk = nextChunk(join, contribution);
		if (chunk.isEmpty()) {
			if (this.batch != null || join.peek() != null) {
				// a batch of large copies begins, or a large object was skipped: the next
				// chunk goes on
				return RepeatStatus.CONTINUABLE;
			}
			logger.info("Mirror '{}': copied {} new and {} changed object(s); {} unchanged{}", this.mirror.name(),
					this.checkpoint.newObjects, this.checkpoint.changed, this.checkpoint.unchanged,
					(this.checkpoint.skipped > 0) ? "; " + this.checkpoint.skipped + " skipped" : "");
			if (this.checkpoint.skipped > 0) {
				contribution.setExitStatus(MirrorSkips.exitStatus(this.mirror.name(), this.checkpoint.skipped));
			}
			// the listing is exhausted: the join saw every extra object after the
			// watermark it started from, which is all of them when it started from none
			if (this.listsFromStart) {
				this.checkpoint.extraListed = join.extra();
			}
			return RepeatStatus.FINISHED;
		}
		copyAll(chunk, contribution);
		return RepeatStatus.CONTINUABLE;
	}

	/**
	 * One S3 call of every copy of the batch at once. Copies that failed every attempt
	 * are skipped when the batch settles, within the skip limit; past it the other copies
	 * finish their call and the step fails, naming every failed copy of the batch,
	 * without committing the chunk. A settled batch is counted and moves the watermark,
	 * in key order.
	 */
	private void advance(LargeBatch batch, StepContribution contribution) {
		if (batch.advance(this.executor, this.progress) > 0
				&& !this.skips.allow(this.checkpoint.skipped, batch.failures().size())) {
			List<LargeBatch.Outcome> failures = batch.failures();
			throw failure(failures.stream().<Throwable>map(LargeBatch.Outcome::failure).toList(),
					failures.stream().map(failed -> this.mirror.copyLine(failed.difference().key())).toList());
		}
		if (!batch.settled()) {
			return;
		}
		for (LargeBatch.Outcome outcome : batch.settle()) {
			Difference difference = outcome.difference();
			switch (outcome.state()) {
				case COPIED -> {
					this.checkpoint.done(difference, true);
					contribution.incrementReadCount();
					contribution.incrementWriteCount(1);
				}
				case UNCHANGED -> {
					this.checkpoint.done(difference, false);
					contribution.incrementReadCount();
					contribution.incrementFilterCount(1);
				}
				case FAILED -> skip(difference, Objects.requireNonNull(outcome.failure()), contribution);
				case IN_FLIGHT -> throw new IllegalStateException("A settled batch has a copy in flight");
			}
		}
		this.batch = null;
	}

	private void skip(Difference difference, Throwable failure, StepContribution contribution) {
		this.skips.skip(difference, failure);
		this.checkpoint.skipped(difference);
		contribution.incrementReadCount();
		contribution.incrementWriteSkipCount();
	}

	private MergeJoin join() {
		if (this.join == null) {
			this.join = new MergeJoin(new Listing(this.mirror.source(), this.checkpoint.after, this.filter),
					new Listing(this.mirror.target(), this.checkpoint.after, this.filter), this.mirror.target());
		}
		return this.join;
	}

	/**
	 * The next run of keys, stopping before a large object to copy; a large object first
	 * in line starts a batch instead (and the chunk is empty).
	 */
	private List<Difference> nextChunk(MergeJoin join, StepContribution contribution) {
		List<Difference> chunk = new ArrayList<>();
		long bytes = 0;
		int maxKeys = this.mirror.settings().chunkKeys();
		long maxBytes = this.mirror.settings().chunkSize().toBytes();
		while (chunk.size() < maxKeys && bytes < maxBytes) {
			Difference next = join.peek();
			if (next == null) {
				break;
			}
			if (isLarge(next)) {
				if (chunk.isEmpty()) {
					startBatch(next, join, contribution);
				}
				break;
			}
			join.next();
			chunk.add(next);
			if (next.transfers()) {
				bytes += next.source().size();
			}
		}
		return chunk;
	}

	/** Whether a difference is an object to copy as a multipart upload. */
	private boolean isLarge(Difference difference) {
		return difference.transfers() && difference.source().size() > this.threshold && !this.dryRun;
	}

	/**
	 * Starts a batch of large copies at the next difference (a HEAD each); when the first
	 * fails for good, no batch starts, and that object may be skipped: nothing is in
	 * flight before it.
	 */
	private void startBatch(Difference next, MergeJoin join, StepContribution contribution) {
		try {
			this.batch = LargeBatch.start(this.mirror, this.attempts, join, this::isLarge);
		}
		catch (CopyFailure ex) {
			if (!this.skips.allow(this.checkpoint.skipped, 1)) {
				throw failure(List.of(ex), List.of(this.mirror.copyLine(next.key())));
			}
			join.next();
			skip(next, ex, contribution);
		}
	}

	private void copyAll(List<Difference> chunk, StepContribution contribution) {
		List<@Nullable Future<ObjectCopy.Outcome>> copies = new ArrayList<>();
		for (Difference difference : chunk) {
			copies.add((difference.transfers() && !this.dryRun) ? this.executor.submit(() -> copyInSlot(difference))
					: null);
		}
		List<ObjectCopy.@Nullable Outcome> outcomes = new ArrayList<>();
		List<@Nullable Throwable> failed = new ArrayList<>();
		List<Throwable> failures = new ArrayList<>();
		List<String> failedKeys = new ArrayList<>();
		for (int i = 0; i < chunk.size(); i++) {
			Future<ObjectCopy.Outcome> copy = copies.get(i);
			try {
				outcomes.add((copy != null) ? copy.get() : null);
				failed.add(null);
			}
			catch (ExecutionException ex) {
				outcomes.add(null);
				failed.add(ex.getCause());
				failures.add(ex.getCause());
				failedKeys.add(this.mirror.copyLine(chunk.get(i).key()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(
						"Interrupted while copying objects of mirror '" + this.mirror.name() + "'", ex);
			}
		}
		if (!failures.isEmpty() && !this.skips.allow(this.checkpoint.skipped, failures.size())) {
			throw failure(failures, failedKeys);
		}
		// only now: a chunk counts, and moves the watermark, once every object is done or
		// skipped
		for (int i = 0; i < chunk.size(); i++) {
			Difference difference = chunk.get(i);
			ObjectCopy.Outcome outcome = outcomes.get(i);
			Throwable failure = failed.get(i);
			if (failure != null) {
				skip(difference, failure, contribution);
				continue;
			}
			contribution.incrementReadCount();
			if (outcome == ObjectCopy.Outcome.VANISHED) {
				this.checkpoint.vanished(difference);
			}
			else {
				this.checkpoint.done(difference, outcome == ObjectCopy.Outcome.COPIED);
				if (outcome == ObjectCopy.Outcome.COPIED) {
					contribution.incrementWriteCount(1);
				}
				else if (difference.transfers()) {
					logger.info("Would copy ({}, {}) {}", difference.kind().name().toLowerCase(Locale.ROOT),
							MirrorLog.mib(difference.source().size()), this.mirror.copyLine(difference.key()));
				}
				else {
					contribution.incrementFilterCount(1);
				}
			}
		}
	}

	private MirrorFailure failure(List<Throwable> failures, List<String> failedKeys) {
		logger.error("Mirror '{}': {} object(s) failed: {}", this.mirror.name(), failures.size(),
				String.join(", ", failedKeys));
		MirrorFailure failure = new MirrorFailure("Mirror '" + this.mirror.name() + "': " + failures.size()
				+ " object(s) failed after " + Attempts.MAX_ATTEMPTS + " attempts: " + String.join(", ", failedKeys)
				+ this.skips.limitNote(this.checkpoint.skipped) + ". Nothing after the last checkpoint ("
				+ describeWatermark() + ") is counted as done; run the job again to resume there. First failure: "
				+ failures.getFirst().getMessage(), failures.getFirst());
		failures.stream().skip(1).forEach(failure::addSuppressed);
		return failure;
	}

	private String describeWatermark() {
		return (this.checkpoint.after == null) ? "the start" : "after "
				+ MirrorLog.object(this.mirror.source().bucket(), this.mirror.sourceKey(this.checkpoint.after));
	}

	private ObjectCopy.Outcome copyInSlot(Difference difference) throws InterruptedException {
		this.slots.acquire();
		try {
			return this.attempts.run("Copying " + this.mirror.copyLine(difference.key()),
					() -> this.copy.copy(difference));
		}
		finally {
			this.slots.release();
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/** Objects of a mirror could not be copied. */
	static class MirrorFailure extends RuntimeException {

		MirrorFailure(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
