package dev.ferry.mirror;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;

/**
 * A mirror's {@code skip-limit}: whether objects that failed every attempt may be
 * skipped, and the skip itself, logged and recorded in {@code ferry_skipped_object}
 * ({@link SkippedObjects}) in the chunk that moves the watermark past the object. The
 * limit counts over the job instance (the checkpoint carries the count across restarts);
 * past it the step fails as it does without a limit, naming every failed key.
 * <p>
 * Thread-safe: called by the step's thread only, over a thread-safe ledger.
 */
final class MirrorSkips {

	private static final Logger logger = LoggerFactory.getLogger(MirrorSkips.class);

	/** The exit code of a step and job that completed past skipped objects. */
	static final String COMPLETED_WITH_SKIPS = "COMPLETED_WITH_SKIPS";

	private final MirrorPair mirror;

	private final SkippedObjects ledger;

	private final SkippedObjects.Where where;

	MirrorSkips(MirrorPair mirror, SkippedObjects ledger, SkippedObjects.Where where) {
		this.mirror = mirror;
		this.ledger = ledger;
		this.where = where;
	}

	/** Whether {@code failing} more objects may be skipped after {@code skipped}. */
	boolean allow(long skipped, int failing) {
		return skipped + failing <= this.mirror.settings().skipLimit();
	}

	/** Logs and records one skipped object. */
	void skip(Difference difference, Throwable failure) {
		String key = difference.key();
		String reason = String.valueOf(failure.getMessage());
		logger.error("Mirror '{}': skipped {} ({}.skip-limit is {}); recorded in ferry_skipped_object: {}",
				this.mirror.name(), this.mirror.copyLine(key), this.mirror.property(),
				this.mirror.settings().skipLimit(), MirrorLog.escape(reason));
		this.ledger.record(this.where, this.mirror.source().bucket(), this.mirror.sourceKey(key),
				this.mirror.target().uri(this.mirror.targetKey(key)), difference.source().size(), reason);
	}

	/** What the failure message of a step says of the limit. */
	String limitNote(long skipped) {
		int limit = this.mirror.settings().skipLimit();
		return (limit == 0) ? " (" + this.mirror.property() + ".skip-limit is 0: no object may be skipped)"
				: " (" + this.mirror.property() + ".skip-limit is " + limit + ", and " + skipped
						+ " object(s) were skipped already)";
	}

	/** The exit status of a step or job that skipped objects. */
	static ExitStatus exitStatus(String mirror, long skipped) {
		return new ExitStatus(COMPLETED_WITH_SKIPS,
				"Mirror '" + mirror + "': " + skipped
						+ " object(s) failed every attempt and were skipped; each is a row of ferry_skipped_object"
						+ " (db/queries/skipped-objects.sql). Extra objects were not deleted");
	}

}
