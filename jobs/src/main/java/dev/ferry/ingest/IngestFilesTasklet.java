package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.scan.ClamdClient;
import dev.ferry.common.scan.ScanResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code ingestFiles} step: works off the source's ledger rows, oldest first, with
 * {@code concurrency} files in flight ({@link FileWorkers}): each file's transitions
 * ({@link FileWork}: download, scan, upload or quarantine, notification, post-action) run
 * one after the other, each in its own transaction that locks the file's row, while other
 * files are at other stages. The ledger is the work queue, so the rows a killed run left
 * half-way (of this or of an earlier job instance) are taken up where their last
 * committed transition left them, and two runs of one source never work on one file at
 * once. One transaction per transition, rather than per file, because the source's
 * post-action must only ever follow an upload that the ledger committed.
 * <p>
 * A chunk of this step is a progress interval ({@link #INTERVAL}): it waits while the
 * workers go on, then counts what they did, so a stop request (SIGTERM, {@code ferry
 * stop}) is seen within it; the workers then finish the transitions in flight and start
 * no more. The first failed transition (its row waits as it was) fails the step once the
 * transitions in flight have ended.
 * <p>
 * Logs one line per file with its verdict and where it went, and a closing line with the
 * counts. Keeps in its ExecutionContext only those counts ({@link IngestCounts}), over
 * all runs of the job execution, as of the last chunk; the ledger holds the state of
 * every file.
 * <p>
 * Step-scoped, one per run: {@link #execute} runs on the step thread, the transitions on
 * the workers' threads.
 */
class IngestFilesTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(IngestFilesTasklet.class);

	/** How long a chunk waits for the workers: how soon a stop request is seen. */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	private final IngestSource source;

	private final Ledger ledger;

	private final ClamdClient clamd;

	private final FileWork work;

	private final long executionId;

	private final TransactionTemplate transactions;

	/** Guards {@link #counts}, which the workers add to. */
	private final Object lock = new Object();

	private IngestCounts counts = new IngestCounts();

	private final AtomicLong reads = new AtomicLong();

	private final AtomicLong writes = new AtomicLong();

	private long readsCounted;

	private long writesCounted;

	private long startedAt;

	private volatile @Nullable String scannerVersion;

	private @Nullable FileWorkers workers;

	IngestFilesTasklet(IngestSource source, Ledger ledger, ClamdClient clamd, long maxScanSize, long executionId,
			StepProgress progress, PlatformTransactionManager transactionManager) {
		this.source = source;
		this.ledger = ledger;
		this.clamd = clamd;
		this.executionId = executionId;
		this.work = new FileWork(source, ledger, clamd, maxScanSize, executionId, progress);
		this.transactions = new TransactionTemplate(transactionManager);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		progress.setItemName("files");
	}

	@Override
	public void open(ExecutionContext executionContext) {
		synchronized (this.lock) {
			this.counts = IngestCounts.from(executionContext);
		}
		this.startedAt = System.currentTimeMillis();
	}

	@Override
	public void update(ExecutionContext executionContext) {
		long now = System.currentTimeMillis();
		synchronized (this.lock) {
			this.counts.elapsedMillis += now - this.startedAt;
			this.startedAt = now;
			this.counts.writeTo(executionContext);
		}
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		FileWorkers workers = this.workers;
		if (workers == null) {
			int concurrency = this.source.settings().concurrency();
			workers = new FileWorkers("ingest-" + this.source.name() + "-", concurrency, new LedgerQueue(),
					this::transition, this.transactions);
			this.workers = workers;
		}
		boolean ended = workers.await(INTERVAL);
		count(contribution);
		Throwable failure = workers.failure();
		if (failure != null) {
			workers.stop();
			count(contribution);
			failure = workers.failure();
			if (failure instanceof Exception ex) {
				throw ex;
			}
			throw (Error) failure;
		}
		if (!ended) {
			return RepeatStatus.CONTINUABLE;
		}
		synchronized (this.lock) {
			logger.info(this.counts.summary(this.source.name()));
		}
		long pending = this.ledger.pendingUnscannable(this.source.name());
		IngestProperties.Source settings = this.source.settings();
		if (pending > 0 && settings.unscannable() == IngestProperties.Unscannable.PENDING) {
			logger.warn("Source '{}': {} unscannable file(s) wait at the source ({}.unscannable=pending)",
					this.source.name(), pending, this.source.property());
		}
		return RepeatStatus.FINISHED;
	}

	/** Moves what the workers read and wrote since the last chunk into this one. */
	private void count(StepContribution contribution) {
		long reads = this.reads.get();
		for (long i = this.readsCounted; i < reads; i++) {
			contribution.incrementReadCount();
		}
		this.readsCounted = reads;
		long writes = this.writes.get();
		contribution.incrementWriteCount(writes - this.writesCounted);
		this.writesCounted = writes;
	}

	/**
	 * One transition of a file, on a worker's thread, in the transaction that locked its
	 * row.
	 */
	private void transition(LedgerRow row) {
		IngestCounts done = new IngestCounts();
		try {
			advance(row, done);
		}
		catch (FileWork.ChangedSourceException ex) {
			this.ledger.failed(row.id(), ex.getMessage(), this.executionId);
			done.failed++;
			logger.warn("File {}: FAILED: {}", IngestLog.quoted(row.path()), ex.getMessage());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Source '" + this.source.name() + "', file " + row.describe() + " (" + row.state().column() + "): "
							+ ex.getMessage() + "; the file waits in the ledger, and the next run takes it up again",
					ex);
		}
		synchronized (this.lock) {
			this.counts.add(done);
		}
	}

	private void advance(LedgerRow row, IngestCounts counts) throws IOException {
		switch (row.state()) {
			case LISTED -> {
				String failure = this.work.download(row);
				this.reads.incrementAndGet();
				if (failure != null) {
					counts.failed++;
					logger.warn("File {}: FAILED: {}", IngestLog.quoted(row.path()), failure);
				}
				else {
					counts.bytes += row.size();
				}
			}
			case DOWNLOADED -> {
				ScanResult result = this.work.scan(row, scannerVersion());
				if (result.verdict() == ScanResult.Verdict.UNSCANNABLE
						&& this.source.settings().unscannable() == IngestProperties.Unscannable.PENDING) {
					counts.pending++;
					logger.warn("File {} ({}): UNSCANNABLE ({}), left pending at the source ({}.unscannable=pending)",
							IngestLog.quoted(row.path()), IngestLog.mib(row.size()), result.answer(),
							this.source.property());
				}
			}
			case SCANNED -> stored(row, this.work.store(row), counts);
			case UPLOADED, QUARANTINED -> {
				Webhook webhook = this.source.webhook();
				if (row.state() == FileState.QUARANTINED && webhook != null && row.notifiedAt() == null) {
					int attempts = this.work.notify(row, webhook);
					counts.notified++;
					logger.info("File {}: {} notification delivered to {}{}", IngestLog.quoted(row.path()),
							String.valueOf(row.verdict()).toUpperCase(java.util.Locale.ROOT), webhook.display(),
							(attempts > 1) ? " (attempt " + attempts + ")" : "");
					return;
				}
				String note = this.work.cleanSource(row);
				if (note != null) {
					logger.warn("File {}: {}", IngestLog.quoted(row.path()), note);
				}
				else {
					counts.cleaned++;
					logger.info("File {}: {} at the source", IngestLog.quoted(row.path()),
							(this.source.settings().moveDirectory() != null)
									? "moved to " + this.source.settings().moveDirectory()
									: this.source.settings().tagsSource()
											? "tagged " + FileWork.TAG + "=" + row.state().column() : "deleted");
				}
			}
			default -> throw new IllegalStateException("Ledger row " + row.id() + " in state " + row.state()
					+ " has no work left, yet was taken from the queue");
		}
	}

	private void stored(LedgerRow row, FileWork.Stored stored, IngestCounts counts) {
		this.writes.incrementAndGet();
		String file = "File " + IngestLog.quoted(row.path()) + " (" + IngestLog.mib(row.size()) + ", sha256 "
				+ stored.staged().sha256() + ")";
		if (stored.state() == FileState.UPLOADED) {
			counts.uploaded++;
			logger.info("{}: CLEAN, {} {}{}", file,
					stored.now() ? "uploaded to"
							: "found already uploaded (by an" + " earlier attempt that was cut off) at",
					IngestLog.escape(stored.destination()), this.source.settings().doneMarker() ? " (+ .done)" : "");
		}
		else {
			if ("infected".equals(row.verdict())) {
				counts.quarantinedInfected++;
			}
			else {
				counts.quarantinedUnscannable++;
			}
			logger.warn("{}: {} ({}), quarantined to {}", file,
					String.valueOf(row.verdict()).toUpperCase(java.util.Locale.ROOT), row.signature(),
					IngestLog.escape(stored.destination()));
		}
	}

	private String scannerVersion() {
		String version = this.scannerVersion;
		if (version == null) {
			version = this.clamd.version();
			this.scannerVersion = version;
		}
		return version;
	}

	@Override
	public void close() {
		FileWorkers workers = this.workers;
		if (workers != null) {
			workers.close();
		}
	}

	/** The source's rows, as the workers take them. */
	private final class LedgerQueue implements FileWorkers.Queue {

		@Override
		public Optional<LedgerRow> next(Collection<Long> inFlight) {
			IngestProperties.Source settings = IngestFilesTasklet.this.source.settings();
			return IngestFilesTasklet.this.ledger.next(IngestFilesTasklet.this.source.name(), withPostAction(settings),
					holdUnscannable(settings), notify(settings), inFlight);
		}

		@Override
		public Optional<LedgerRow> again(long id) {
			IngestProperties.Source settings = IngestFilesTasklet.this.source.settings();
			return IngestFilesTasklet.this.ledger.again(id, withPostAction(settings), holdUnscannable(settings),
					notify(settings));
		}

		private boolean withPostAction(IngestProperties.Source settings) {
			return !"keep".equals(settings.postAction());
		}

		private boolean holdUnscannable(IngestProperties.Source settings) {
			return settings.unscannable() == IngestProperties.Unscannable.PENDING;
		}

		private boolean notify(IngestProperties.Source settings) {
			return IngestFilesTasklet.this.source.webhook() != null;
		}

	}

}
