package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import dev.ferry.common.batch.JobShare;
import dev.ferry.common.progress.StepProgress;
import dev.ferry.mirror.Attempts.CopyFailure;
import dev.ferry.common.transfer.ResumableUpload;
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
 * <li>An object above {@code multipart-threshold} that has to be copied is a run of
 * chunks of its own, one S3 call each ({@link LargeCopy}), so that its upload id commits
 * before part 1 and a restart continues from the next part.</li>
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
 * Not thread-safe as a whole: step-scoped, one per run; only the copies of a chunk run on
 * other threads.
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

	/**
	 * The large object being copied, or restored from the context and not yet checked.
	 */
	private @Nullable LargeCopy large;

	private boolean largeChecked;

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
		this.large = LargeCopy.restore(this.mirror, executionContext, this.attempts);
		this.largeChecked = false;
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
		if (this.large != null) {
			this.large.update(executionContext);
		}
		else {
			LargeCopy.clear(executionContext);
		}
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		MergeJoin join = join();
		if (this.large != null && !this.largeChecked) {
			checkRestoredLargeCopy(join);
		}
		if (this.large != null) {
			nextOfLargeCopy(this.large, join, contribution);
			return RepeatStatus.CONTINUABLE;
		}
		List<Difference> chunk = nextChunk(join, contribution);
		if (chunk.isEmpty()) {
			if (this.large != null || join.peek() != null) {
				// a large copy begins, or a large object was skipped: the next chunk goes
				// on
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
	 * One S3 call of the large copy in flight; a copy that fails for good may be skipped.
	 */
	private void nextOfLargeCopy(LargeCopy copy, MergeJoin join, StepContribution contribution) {
		Difference difference = join.peek();
		boolean complete;
		try {
			complete = copy.next(this.progress);
		}
		catch (CopyFailure ex) {
			if (difference == null || !this.skips.allow(this.checkpoint.skipped, 1)) {
				throw failure(List.of(ex), List.of(this.mirror.copyLine(copy.key())));
			}
			// the upload's parts are no use any more; a failure to abort them fails the
			// step
			copy.discard();
			join.next();
			this.large = null;
			skip(difference, ex, contribution);
			return;
		}
		if (complete) {
			join.next();
			this.checkpoint.done(difference, true);
			contribution.incrementReadCount();
			contribution.incrementWriteCount(1);
			this.large = null;
		}
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
	 * A killed run's large copy goes on only if the next source object is still the same
	 * version and still has to be copied; otherwise its upload is aborted.
	 */
	private void checkRestoredLargeCopy(MergeJoin join) {
		LargeCopy restored = this.large;
		this.largeChecked = true;
		Difference next = join.peek();
		if (next != null && next.transfers() && restored.copies(next.source())
				&& restored.resume() == ResumableUpload.Resumption.RESUMED) {
			return;
		}
		logger.info(
				"Mirror '{}': the multipart upload of {} left by an earlier run is not needed any more"
						+ " (the source changed, the copy is complete, or the upload is gone); aborting it",
				this.mirror.name(), MirrorLog.escape(restored.key()));
		restored.discard();
		this.large = null;
	}

	/**
	 * The next run of keys, stopping before a large object to copy; a large object first
	 * in line starts its own copy instead (and the chunk is empty).
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
			boolean isLarge = next.transfers() && next.source().size() > this.threshold && !this.dryRun;
			if (isLarge) {
				if (chunk.isEmpty()) {
					startLargeCopy(next, join, contribution);
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

	/**
	 * Starts the copy of a large object (a HEAD); one that fails for good may be skipped.
	 */
	private void startLargeCopy(Difference next, MergeJoin join, StepContribution contribution) {
		try {
			this.large = LargeCopy.start(this.mirror, next.key(), this.attempts);
			this.largeChecked = true;
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
