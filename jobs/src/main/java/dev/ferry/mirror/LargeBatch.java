package dev.ferry.mirror;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.transfer.ResumableUpload;
import dev.ferry.mirror.Attempts.CopyFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.util.Assert;

/**
 * The large objects that the {@code copyObjects} step copies at once ({@link LargeCopy}):
 * consecutive differences of the merge join, each an object above the multipart threshold
 * that has to be copied, at most the mirror's {@code concurrency}. Memory sets no lower
 * limit: a copy streams its parts and holds no part buffer ({@link LargeCopy}).
 * <ul>
 * <li>Each chunk of the step advances every copy still in flight by one S3 call, all at
 * once on the step's virtual threads ({@link #advance}), waits for all of them, and
 * commits the state of each. So every upload keeps its own guarantee: its id commits
 * before its part 1, and a restart sends again at most the one part of it that was in
 * flight.</li>
 * <li>The batch settles when no copy is in flight ({@link #settle}); only then does the
 * step count its objects and move the watermark past them, in key order, so that the
 * watermark never passes an object still being copied. A copy that completes first waits
 * in the batch as complete, without a slot: its object exists, no upload is left to
 * resume.</li>
 * <li>A copy that failed every attempt stops. Within the skip limit it is skipped when
 * the batch settles (its upload aborted, the skip recorded in the chunk that moves the
 * watermark past it) and keeps its slot until then: a run killed before that chunk
 * commits has recorded nothing, and its rerun resumes that upload and tries again.</li>
 * </ul>
 * ExecutionContext: each copy in flight, or failed and not yet settled, lives in a slot.
 * Slot 0 is named {@code s3Mirror.upload}, the name of the one large copy of earlier
 * versions (so that their executions restore as a batch of one); slot {@code i} from 1 is
 * {@code s3Mirror.upload<i>} ({@code s3Mirror.upload1}, ...). Each holds
 * {@link LargeCopy}'s keys under its name: {@code .key}, {@code .sourceETag},
 * {@code .size}, and the upload's {@code .uploadId}, {@code .parts}, {@code .bytes},
 * {@code .allPartsUploaded}. Every update writes the occupied slots and clears the
 * others, up to {@value #MAX_SLOTS}, the highest {@code concurrency}. A restart merges
 * the copies it finds with the join again ({@link #resume}).
 * <p>
 * Not thread-safe: driven by the step's thread; only the calls of {@link #advance} run on
 * other threads, one per copy, and the step's thread waits for them.
 */
final class LargeBatch {

	private static final Logger logger = LoggerFactory.getLogger(LargeBatch.class);

	/** The name of slot 0. */
	static final String NAME = MirrorCheckpoint.NAME + ".upload";

	/** Slots, as many as the highest {@code concurrency}. */
	static final int MAX_SLOTS = 64;

	private final MirrorPair mirror;

	private final Attempts attempts;

	/** In key order, the order of the join. */
	private final List<Entry> entries = new ArrayList<>();

	private LargeBatch(MirrorPair mirror, Attempts attempts) {
		this.mirror = mirror;
		this.attempts = attempts;
	}

	/** The name of a slot's ExecutionContext keys. */
	static String slot(int slot) {
		return (slot == 0) ? NAME : NAME + slot;
	}

	/**
	 * Starts a batch at the join's next difference, a large object to copy, and takes the
	 * differences that follow while each is one too, within the limits: each copy starts
	 * with a HEAD of its source ({@link LargeCopy#start}) and is taken from the join.
	 * @param large whether a difference is a large object to copy
	 * @throws CopyFailure when the first object cannot be started (a later one that
	 * cannot ends the batch before it, and is tried again after it)
	 */
	static LargeBatch start(MirrorPair mirror, Attempts attempts, MergeJoin join, Predicate<Difference> large) {
		LargeBatch batch = new LargeBatch(mirror, attempts);
		Difference first = Objects.requireNonNull(join.peek(), "a large object to copy");
		batch.add(first, LargeCopy.start(mirror, slot(0), first.key(), attempts));
		join.next();
		Difference next = join.peek();
		while (next != null && large.test(next) && batch.admits() && batch.tryStart(next, join, List.of())) {
			next = join.peek();
		}
		batch.logStart();
		return batch;
	}

	/**
	 * Merges the copies a killed run left ({@link #restore}, in key order) with the join,
	 * which lists after the watermark, so from before all of them. A copy goes on when
	 * the next difference is its source version, still a large object to copy, and its
	 * upload is still open ({@link LargeCopy#resume}); it is then taken from the join. A
	 * copy whose object is not listed any more, or that cannot go on, is discarded (its
	 * upload aborted), and the next one is matched against the same difference.
	 * <p>
	 * A difference that sorts before the next restored copy (or is the object of one that
	 * cannot go on) joins the batch too, so that the copies after it are not lost: an
	 * unchanged object (a copy of the batch that completed after the last commit, or
	 * before it: its slot was cleared then) is counted when the batch settles, a large
	 * object to copy starts anew in a free slot. Anything else (a small object to copy, a
	 * large one beyond the limits or that cannot be started) ends the matching, and the
	 * copies left are discarded, to be copied anew later.
	 * @return the batch, or null when nothing was taken from the join
	 */
	static @Nullable LargeBatch resume(MirrorPair mirror, Attempts attempts, List<LargeCopy> restored, MergeJoin join,
			Predicate<Difference> large) {
		LargeBatch batch = new LargeBatch(mirror, attempts);
		Deque<LargeCopy> waiting = new ArrayDeque<>(restored);
		while (!waiting.isEmpty()) {
			LargeCopy copy = waiting.getFirst();
			Difference next = join.peek();
			if (next == null) {
				break;
			}
			int order = ListedObject.compareKeys(next.key(), copy.key());
			if (order >= 0) {
				waiting.removeFirst();
				if (order == 0 && large.test(next) && copy.copies(next.source()) && batch.admits()
						&& copy.resume() == ResumableUpload.Resumption.RESUMED) {
					join.next();
					batch.add(next, copy);
					continue;
				}
				batch.discardRestored(copy);
				if (order > 0) {
					continue;
				}
			}
			if (!next.transfers()) {
				join.next();
				batch.entries.add(new Entry(next, null, State.UNCHANGED));
			}
			else if (!(large.test(next) && batch.admits() && batch.tryStart(next, join, waiting))) {
				break;
			}
		}
		waiting.forEach(batch::discardRestored);
		if (batch.entries.isEmpty()) {
			return null;
		}
		batch.logStart();
		return batch;
	}

	/** The copies a killed run left in a context, not yet checked, in key order. */
	static List<LargeCopy> restore(MirrorPair mirror, ExecutionContext context, Attempts attempts) {
		List<LargeCopy> restored = new ArrayList<>();
		for (int slot = 0; slot < MAX_SLOTS; slot++) {
			LargeCopy copy = LargeCopy.restore(mirror, slot(slot), context, attempts);
			if (copy != null) {
				restored.add(copy);
			}
		}
		restored.sort((a, b) -> ListedObject.compareKeys(a.key(), b.key()));
		return restored;
	}

	/** Writes the slots of some copies, and clears every other slot. */
	static void write(Collection<LargeCopy> copies, ExecutionContext context) {
		Set<String> written = new HashSet<>();
		for (LargeCopy copy : copies) {
			copy.update(context);
			written.add(copy.name());
		}
		for (int slot = 0; slot < MAX_SLOTS; slot++) {
			if (!written.contains(slot(slot))) {
				LargeCopy.clear(slot(slot), context);
			}
		}
	}

	/** Saves the copies in flight and those that failed, each in its slot. */
	void update(ExecutionContext context) {
		write(this.entries.stream()
			.filter(entry -> entry.state == State.IN_FLIGHT || entry.state == State.FAILED)
			.map(Entry::copy)
			.toList(), context);
	}

	/**
	 * One S3 call of every copy in flight, all at once; returns when all of them are
	 * done. A copy that completes, or fails every attempt ({@link CopyFailure}), stops.
	 * @return how many copies failed in this call
	 * @throws RuntimeException what a copy threw but a {@link CopyFailure}, once every
	 * call is done
	 */
	int advance(ExecutorService executor, StepProgress progress) {
		List<Entry> moving = this.entries.stream().filter(entry -> entry.state == State.IN_FLIGHT).toList();
		List<Future<Boolean>> calls = new ArrayList<>();
		for (Entry entry : moving) {
			LargeCopy copy = entry.copy();
			calls.add(executor.submit(() -> copy.next(progress)));
		}
		int failed = 0;
		@Nullable Throwable unexpected = null;
		for (int i = 0; i < moving.size(); i++) {
			Entry entry = moving.get(i);
			try {
				if (calls.get(i).get()) {
					entry.state = State.COPIED;
				}
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof CopyFailure failure) {
					entry.state = State.FAILED;
					entry.failure = failure;
					failed++;
				}
				else if (unexpected == null) {
					unexpected = ex.getCause();
				}
				else {
					unexpected.addSuppressed(ex.getCause());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(
						"Interrupted while copying large objects of mirror '" + this.mirror.name() + "'", ex);
			}
		}
		if (unexpected instanceof RuntimeException ex) {
			throw ex;
		}
		if (unexpected instanceof Error error) {
			throw error;
		}
		if (unexpected != null) {
			throw new IllegalStateException("Copying large objects of mirror '" + this.mirror.name() + "' failed",
					unexpected);
		}
		return failed;
	}

	/** The copies that failed every attempt so far, in key order. */
	List<Outcome> failures() {
		return this.entries.stream().filter(entry -> entry.state == State.FAILED).map(Entry::outcome).toList();
	}

	/** Whether no copy is in flight any more. */
	boolean settled() {
		return this.entries.stream().noneMatch(entry -> entry.state == State.IN_FLIGHT);
	}

	/**
	 * Aborts the uploads of the copies that failed (a failure to abort fails the step),
	 * and says what became of every object of the batch, in key order: the order in which
	 * the step counts them and moves the watermark.
	 */
	List<Outcome> settle() {
		Assert.state(settled(), "A copy of the batch is still in flight");
		for (Entry entry : this.entries) {
			if (entry.state == State.FAILED) {
				entry.copy().discard();
			}
		}
		return this.entries.stream().map(Entry::outcome).toList();
	}

	private void add(Difference difference, LargeCopy copy) {
		this.entries.add(new Entry(difference, copy, State.IN_FLIGHT));
	}

	/** Whether one more copy fits: at most the mirror's {@code concurrency}. */
	private boolean admits() {
		return this.entries.stream().filter(entry -> entry.copy != null).count() < this.mirror.settings().concurrency();
	}

	/**
	 * Starts one more copy in a slot that no copy of the batch, nor one still to be
	 * matched, holds, and takes it from the join; a copy that cannot start (its HEAD
	 * failed every attempt) stays in the join, and is tried again after this batch.
	 */
	private boolean tryStart(Difference next, MergeJoin join, Collection<LargeCopy> waiting) {
		Set<String> taken = new HashSet<>();
		this.entries.stream().filter(entry -> entry.copy != null).forEach(entry -> taken.add(entry.copy().name()));
		waiting.forEach(copy -> taken.add(copy.name()));
		int free = 0;
		while (free < MAX_SLOTS && taken.contains(slot(free))) {
			free++;
		}
		if (free == MAX_SLOTS) {
			return false;
		}
		try {
			add(next, LargeCopy.start(this.mirror, slot(free), next.key(), this.attempts));
		}
		catch (CopyFailure ex) {
			logger.warn("Mirror '{}': {}; {} is tried again after the large object(s) in flight", this.mirror.name(),
					ex.getMessage(), MirrorLog.escape(next.key()));
			return false;
		}
		join.next();
		return true;
	}

	private void discardRestored(LargeCopy restored) {
		logger.info(
				"Mirror '{}': the multipart upload of {} left by an earlier run is not needed any more"
						+ " (the source changed, the copy is complete, or the upload is gone); aborting it",
				this.mirror.name(), MirrorLog.escape(restored.key()));
		restored.discard();
	}

	private void logStart() {
		List<Entry> copies = this.entries.stream().filter(entry -> entry.copy != null).toList();
		if (copies.size() > 1) {
			logger.info("Mirror '{}': copying {} large objects at once, {} to {}", this.mirror.name(), copies.size(),
					MirrorLog.escape(copies.getFirst().difference.key()),
					MirrorLog.escape(copies.getLast().difference.key()));
		}
	}

	/** What becomes of an object of the batch. */
	enum State {

		/** Its copy goes on. */
		IN_FLIGHT,

		/** Its copy is complete. */
		COPIED,

		/**
		 * Its copy failed every attempt: skipped when the batch settles, or the step
		 * fails.
		 */
		FAILED,

		/** Nothing to copy: a restart found it unchanged between restored copies. */
		UNCHANGED

	}

	/**
	 * One object of the batch.
	 *
	 * @param difference what it is to the target
	 * @param state what became of it
	 * @param failure why it failed, when it did
	 */
	record Outcome(Difference difference, State state, @Nullable CopyFailure failure) {

	}

	private static final class Entry {

		private final Difference difference;

		/** Null for an unchanged object. */
		private final @Nullable LargeCopy copy;

		private State state;

		private @Nullable CopyFailure failure;

		private Entry(Difference difference, @Nullable LargeCopy copy, State state) {
			this.difference = difference;
			this.copy = copy;
			this.state = state;
		}

		private LargeCopy copy() {
			return Objects.requireNonNull(this.copy, "an unchanged object has no copy");
		}

		private Outcome outcome() {
			return new Outcome(this.difference, this.state, this.failure);
		}

	}

}
