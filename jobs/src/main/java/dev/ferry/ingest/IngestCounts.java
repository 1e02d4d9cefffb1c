package dev.ferry.ingest;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What {@code ingestFiles} has done over every run of its job execution, kept in the
 * step's ExecutionContext so that a restart's closing line counts the files of the killed
 * run too. The ledger, not these counts, says what happened to each file.
 * <p>
 * Not thread-safe: each transition counts into one of its own, which
 * {@link IngestFilesTasklet} adds to the step's under a lock.
 */
final class IngestCounts {

	static final String PREFIX = "ingest.";

	long uploaded;

	long quarantinedInfected;

	long quarantinedUnscannable;

	long pending;

	long failed;

	long cleaned;

	long notified;

	long bytes;

	long elapsedMillis;

	static IngestCounts from(ExecutionContext context) {
		IngestCounts counts = new IngestCounts();
		counts.uploaded = context.getLong(PREFIX + "uploaded", 0);
		counts.quarantinedInfected = context.getLong(PREFIX + "infected", 0);
		counts.quarantinedUnscannable = context.getLong(PREFIX + "unscannable", 0);
		counts.pending = context.getLong(PREFIX + "pending", 0);
		counts.failed = context.getLong(PREFIX + "failed", 0);
		counts.cleaned = context.getLong(PREFIX + "sourceCleaned", 0);
		counts.notified = context.getLong(PREFIX + "notified", 0);
		counts.bytes = context.getLong(PREFIX + "bytes", 0);
		counts.elapsedMillis = context.getLong(PREFIX + "elapsedMillis", 0);
		return counts;
	}

	/** Adds the counts of another (its elapsed time aside). */
	void add(IngestCounts other) {
		this.uploaded += other.uploaded;
		this.quarantinedInfected += other.quarantinedInfected;
		this.quarantinedUnscannable += other.quarantinedUnscannable;
		this.pending += other.pending;
		this.failed += other.failed;
		this.cleaned += other.cleaned;
		this.notified += other.notified;
		this.bytes += other.bytes;
	}

	void writeTo(ExecutionContext context) {
		context.putLong(PREFIX + "uploaded", this.uploaded);
		context.putLong(PREFIX + "infected", this.quarantinedInfected);
		context.putLong(PREFIX + "unscannable", this.quarantinedUnscannable);
		context.putLong(PREFIX + "pending", this.pending);
		context.putLong(PREFIX + "failed", this.failed);
		context.putLong(PREFIX + "sourceCleaned", this.cleaned);
		context.putLong(PREFIX + "notified", this.notified);
		context.putLong(PREFIX + "bytes", this.bytes);
		context.putLong(PREFIX + "elapsedMillis", this.elapsedMillis);
	}

	String summary(String source) {
		return "Source '" + source + "': " + this.uploaded + " uploaded, "
				+ (this.quarantinedInfected + this.quarantinedUnscannable) + " quarantined (" + this.quarantinedInfected
				+ " infected, " + this.quarantinedUnscannable + " unscannable), " + this.pending
				+ " unscannable left pending, " + this.notified + " notified, " + this.failed + " failed, "
				+ this.cleaned + " cleaned up at the source; " + IngestLog.mib(this.bytes) + " downloaded in "
				+ String.format(java.util.Locale.ROOT, "%.1f s", this.elapsedMillis / 1000.0) + " ("
				+ IngestLog.rate(this.bytes, this.elapsedMillis) + ")";
	}

}
