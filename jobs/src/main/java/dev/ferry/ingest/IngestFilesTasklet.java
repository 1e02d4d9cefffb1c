package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

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

/**
 * The {@code ingestFiles} step: works off the source's ledger rows, oldest first, one
 * transition per chunk ({@link FileWork}): download, scan, upload or quarantine, and the
 * post-action. The ledger is the work queue, so the rows a killed run left half-way (of
 * this or of an earlier job instance) are taken up where their last committed transition
 * left them; each row is locked while its chunk runs, so two runs of one source never
 * work on one file. One transition per chunk, rather than a whole file, because the
 * source's post-action must only ever follow an upload that the ledger committed.
 * <p>
 * Logs one line per file with its verdict and where it went, and a closing line with the
 * counts. Keeps in its ExecutionContext only those counts ({@link IngestCounts}); the
 * ledger holds the state of every file.
 * <p>
 * Not thread-safe: step-scoped, one per run.
 */
class IngestFilesTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(IngestFilesTasklet.class);

	private final IngestSource source;

	private final Ledger ledger;

	private final ClamdClient clamd;

	private final FileWork work;

	private final long executionId;

	private IngestCounts counts = new IngestCounts();

	private long startedAt;

	private @Nullable String scannerVersion;

	IngestFilesTasklet(IngestSource source, Ledger ledger, ClamdClient clamd, long maxScanSize, long executionId,
			StepProgress progress) {
		this.source = source;
		this.ledger = ledger;
		this.clamd = clamd;
		this.executionId = executionId;
		this.work = new FileWork(source, ledger, clamd, maxScanSize, executionId, progress);
		progress.setItemName("files");
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.counts = IngestCounts.from(executionContext);
		this.startedAt = System.currentTimeMillis();
	}

	@Override
	public void update(ExecutionContext executionContext) {
		long now = System.currentTimeMillis();
		this.counts.elapsedMillis += now - this.startedAt;
		this.startedAt = now;
		this.counts.writeTo(executionContext);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		IngestProperties.Source settings = this.source.settings();
		Optional<LedgerRow> next = this.ledger.next(this.source.name(), !"keep".equals(settings.postAction()),
				settings.unscannable() == IngestProperties.Unscannable.PENDING, this.source.webhook() != null);
		if (next.isEmpty()) {
			logger.info(this.counts.summary(this.source.name()));
			long pending = this.ledger.pendingUnscannable(this.source.name());
			if (pending > 0 && settings.unscannable() == IngestProperties.Unscannable.PENDING) {
				logger.warn("Source '{}': {} unscannable file(s) wait at the source ({}.unscannable=pending)",
						this.source.name(), pending, this.source.property());
			}
			return RepeatStatus.FINISHED;
		}
		LedgerRow row = next.get();
		try {
			advance(row, contribution);
		}
		catch (FileWork.ChangedSourceException ex) {
			this.ledger.failed(row.id(), ex.getMessage(), this.executionId);
			this.counts.failed++;
			logger.warn("File {}: FAILED: {}", IngestLog.quoted(row.path()), ex.getMessage());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Source '" + this.source.name() + "', file " + row.describe() + " (" + row.state().column() + "): "
							+ ex.getMessage() + "; the file waits in the ledger, and the next run takes it up again",
					ex);
		}
		return RepeatStatus.CONTINUABLE;
	}

	private void advance(LedgerRow row, StepContribution contribution) throws IOException {
		switch (row.state()) {
			case LISTED -> {
				String failure = this.work.download(row);
				contribution.incrementReadCount();
				if (failure != null) {
					this.counts.failed++;
					logger.warn("File {}: FAILED: {}", IngestLog.quoted(row.path()), failure);
				}
				else {
					this.counts.bytes += row.size();
				}
			}
			case DOWNLOADED -> {
				ScanResult result = this.work.scan(row, scannerVersion());
				if (result.verdict() == ScanResult.Verdict.UNSCANNABLE
						&& this.source.settings().unscannable() == IngestProperties.Unscannable.PENDING) {
					this.counts.pending++;
					logger.warn("File {} ({}): UNSCANNABLE ({}), left pending at the source ({}.unscannable=pending)",
							IngestLog.quoted(row.path()), IngestLog.mib(row.size()), result.answer(),
							this.source.property());
				}
			}
			case SCANNED -> stored(row, this.work.store(row), contribution);
			case UPLOADED, QUARANTINED -> {
				Webhook webhook = this.source.webhook();
				if (row.state() == FileState.QUARANTINED && webhook != null && row.notifiedAt() == null) {
					int attempts = this.work.notify(row, webhook);
					this.counts.notified++;
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
					this.counts.cleaned++;
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

	private void stored(LedgerRow row, FileWork.Stored stored, StepContribution contribution) {
		contribution.incrementWriteCount(1);
		String file = "File " + IngestLog.quoted(row.path()) + " (" + IngestLog.mib(row.size()) + ", sha256 "
				+ stored.staged().sha256() + ")";
		if (stored.state() == FileState.UPLOADED) {
			this.counts.uploaded++;
			logger.info("{}: CLEAN, {} {}{}", file,
					stored.now() ? "uploaded to"
							: "found already uploaded (by an" + " earlier attempt that was cut off) at",
					IngestLog.escape(stored.destination()), this.source.settings().doneMarker() ? " (+ .done)" : "");
		}
		else {
			if ("infected".equals(row.verdict())) {
				this.counts.quarantinedInfected++;
			}
			else {
				this.counts.quarantinedUnscannable++;
			}
			logger.warn("{}: {} ({}), quarantined to {}", file,
					String.valueOf(row.verdict()).toUpperCase(java.util.Locale.ROOT), row.signature(),
					IngestLog.escape(stored.destination()));
		}
	}

	private String scannerVersion() {
		if (this.scannerVersion == null) {
			this.scannerVersion = this.clamd.version();
		}
		return this.scannerVersion;
	}

	@Override
	public void close() {
	}

}
