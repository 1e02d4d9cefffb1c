package dev.ferry.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works off the ledger with several files in flight: {@code concurrency} workers on
 * virtual threads, each taking the oldest row with work left that nobody holds and
 * carrying that file through its transitions, one transaction per transition, the row
 * locked ({@code FOR UPDATE SKIP LOCKED}) while its transition runs. So one file
 * downloads while another is scanned and a third uploads, and throughput is bound by the
 * slowest of the three, not their sum; yet every transition commits on its own before the
 * next of its file begins (the post-action only ever follows a committed upload or
 * quarantine), and a killed run leaves each row in its last committed state.
 * <p>
 * Between two transitions of a file its row is unlocked; the worker keeps it to itself
 * through an in-process set of the rows in flight, which the other workers skip, and
 * takes it again by id. Another process that takes it in that moment does the transition
 * the ledger says is next; the worker then finds it locked or done, and moves on.
 * <p>
 * The first failure of a transition (it rolled back: its row waits as it was) stops the
 * workers from starting new transitions; those in flight finish. {@link #stop} does the
 * same on request, and waits for them.
 * <p>
 * Thread-safe.
 */
final class FileWorkers implements AutoCloseable {

	/** The work queue: the ledger, seen by a worker. */
	interface Queue {

		/** The oldest row with work left, other than those given, locked. */
		Optional<LedgerRow> next(Collection<Long> inFlight);

		/** A row again, locked, if it has work left and nobody else holds it. */
		Optional<LedgerRow> again(long id);

	}

	/** One transition of a row; it runs in the transaction that locked the row. */
	@FunctionalInterface
	interface Transition {

		void advance(LedgerRow row);

	}

	private static final long NONE = -1;

	private final Queue queue;

	private final Transition transition;

	private final TransactionTemplate transactions;

	private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean stopping = new AtomicBoolean();

	private final CompletableFuture<Void> failed = new CompletableFuture<>();

	private final List<Throwable> failures = new ArrayList<>();

	private final ExecutorService executor;

	private final CompletableFuture<Void> ended;

	/**
	 * Starts the workers.
	 * @param name the threads' name prefix
	 */
	FileWorkers(String name, int concurrency, Queue queue, Transition transition, TransactionTemplate transactions) {
		this.queue = queue;
		this.transition = transition;
		this.transactions = transactions;
		this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name, 1).factory());
		CompletableFuture<?>[] workers = new CompletableFuture<?>[concurrency];
		for (int i = 0; i < concurrency; i++) {
			workers[i] = CompletableFuture.runAsync(this::work, this.executor);
		}
		this.ended = CompletableFuture.allOf(workers);
	}

	/**
	 * Waits until every worker ended (no work left), a transition failed, or the time is
	 * up.
	 * @return whether every worker ended
	 */
	boolean await(Duration timeout) throws InterruptedException {
		try {
			CompletableFuture.anyOf(this.ended, this.failed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// the workers go on
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("A worker ended abnormally", ex.getCause());
		}
		return this.ended.isDone();
	}

	/**
	 * The first failure of a transition, with the later ones suppressed, or null.
	 */
	synchronized @Nullable Throwable failure() {
		if (this.failures.isEmpty()) {
			return null;
		}
		Throwable first = this.failures.getFirst();
		for (Throwable later : this.failures.subList(1, this.failures.size())) {
			if (later != first && !List.of(first.getSuppressed()).contains(later)) {
				first.addSuppressed(later);
			}
		}
		return first;
	}

	/**
	 * No worker starts another transition; waits for those in flight to commit or roll
	 * back.
	 */
	void stop() {
		this.stopping.set(true);
		this.ended.exceptionally(ex -> null).join();
	}

	@Override
	public void close() {
		stop();
		this.executor.close();
	}

	private void work() {
		while (!this.stopping.get()) {
			long[] held = { NONE };
			try {
				boolean more = transition(() -> this.queue.next(List.copyOf(this.inFlight)), held);
				if (held[0] == NONE) {
					return; // no work left that nobody holds
				}
				while (more && !this.stopping.get()) {
					long id = held[0];
					more = transition(() -> this.queue.again(id), held);
				}
			}
			catch (Throwable ex) { // an Error too: the step thread fails the run with it
				fail(ex);
				return;
			}
			finally {
				if (held[0] != NONE) {
					this.inFlight.remove(held[0]);
				}
			}
		}
	}

	/**
	 * Takes a row and runs its next transition, in one transaction.
	 * @return whether a row was taken
	 */
	private boolean transition(Supplier<Optional<LedgerRow>> take, long[] held) {
		return Boolean.TRUE.equals(this.transactions.execute(status -> {
			Optional<LedgerRow> row = take.get();
			if (row.isEmpty()) {
				return false;
			}
			held[0] = row.get().id();
			this.inFlight.add(held[0]);
			this.transition.advance(row.get());
			return true;
		}));
	}

	private synchronized void fail(Throwable failure) {
		this.failures.add(failure);
		this.stopping.set(true);
		this.failed.complete(null);
	}

}
