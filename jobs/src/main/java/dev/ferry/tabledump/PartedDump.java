package dev.ferry.tabledump;

import java.sql.Connection;
import java.sql.SQLException;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.transfer.ResumableUpload;
import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The dump of one table as a sequence of chunks, each ending at a commit of the step, in
 * explicit phases:
 * <ol>
 * <li>{@link Phase#FILL_PART}: read rows into the next part. If the table ends within the
 * first part, the object is written with a single PUT and the table is done. If the
 * multipart upload has not begun, it begins, and the chunk ends there, so that its id is
 * committed before any part is sent; otherwise the part is sent at once.</li>
 * <li>{@link Phase#SEND_PART}: send the part read in the chunk before (only after the
 * upload began).</li>
 * <li>{@link Phase#COMPLETE}: every part is acknowledged and committed; complete the
 * upload and finish the table.</li>
 * </ol>
 * Subclasses say how a part is filled ({@link KeysetDump}: keyset batches that resume
 * after the last acknowledged key; {@link OnePassDump}: one COPY of the whole table that
 * cannot resume) and what an acknowledged part records.
 * <p>
 * Not thread-safe: one per table being dumped.
 */
abstract class PartedDump {

	private static final Logger logger = LoggerFactory.getLogger(PartedDump.class);

	/** Where the dump of a table stands between two chunks. */
	enum Phase {

		FILL_PART, SEND_PART, COMPLETE, DONE

	}

	protected final DumpedObject output;

	protected final SourceTable table;

	/** The source connection, in the table's snapshot. */
	protected final Connection connection;

	protected final StepExecution stepExecution;

	protected final StepProgress progress;

	/** The part is sent once its compressed size reaches this. */
	protected final int closePartAt;

	private Phase phase = Phase.FILL_PART;

	/** Whether the part in memory holds the table's last row. */
	private boolean lastPart;

	PartedDump(DumpedObject output, Source source) {
		this.output = output;
		this.table = source.table();
		this.connection = source.connection();
		this.stepExecution = source.stepExecution();
		this.progress = source.progress();
		// a part is cut once it holds three quarters of the part size: the batch that
		// crosses that mark still fits the part's buffer (see TableDumpTasklet)
		this.closePartAt = Math.max(TableDumpTasklet.MIN_PART_BYTES, source.partSize() / 4 * 3);
	}

	/**
	 * What a dump reads from and reports to.
	 *
	 * @param table the table
	 * @param connection the source connection, in the table's snapshot
	 * @param stepExecution the table's step, whose read count the dump keeps
	 * @param progress the step's progress line
	 * @param partSize the configured part size
	 */
	record Source(SourceTable table, Connection connection, StepExecution stepExecution, StepProgress progress,
			int partSize) {
	}

	/** Sets the phase from what the ExecutionContext and the store say. */
	abstract void prepare();

	/**
	 * Reads rows into the (started) part until it is big enough or the table ends.
	 * @return whether the table ended
	 */
	abstract boolean fillPart() throws SQLException;

	/** Rows in the part in memory. */
	abstract long partRows();

	/** The part in memory was acknowledged: record where the table now stands. */
	abstract void partAcknowledged(StepContribution contribution);

	/** Continues after a resumed upload: from its next part, or to its completion. */
	protected void resumeAt(ResumableUpload upload) {
		this.phase = upload.allPartsUploaded() ? Phase.COMPLETE : Phase.FILL_PART;
	}

	/** The object was completed by an earlier run that died before it could record it. */
	protected void alreadyComplete() {
		this.phase = Phase.DONE;
	}

	/** Releases what an unfinished dump holds open on the source. */
	abstract void close();

	/**
	 * Cancels a COPY that a failure left open: PgJDBC holds the connection's lock for an
	 * open COPY, and the rollback that ends the snapshot would wait for it forever.
	 */
	protected void cancel(@Nullable CopyOut copy) {
		if (copy != null && copy.isActive()) {
			try {
				copy.cancelCopy();
			}
			catch (SQLException ex) {
				// the connection is closed next, which ends the COPY on the server too
				logger.warn("Table '{}': cancelling the unfinished COPY failed: {}", this.table.name(),
						ex.getMessage());
			}
		}
	}

	Phase phase() {
		return this.phase;
	}

	/** One chunk: at most one part read and sent. */
	RepeatStatus next(StepContribution contribution) throws SQLException {
		ResumableUpload upload = this.output.upload();
		switch (this.phase) {
			case FILL_PART -> {
				this.output.part().start();
				this.lastPart = fillPart();
				this.output.part().finish();
				if (this.lastPart && !upload.begun()) {
					this.output.putWhole(partRows());
					partAcknowledged(contribution);
					return done();
				}
				this.phase = Phase.SEND_PART;
				if (!upload.begun()) {
					upload.begin();
					return RepeatStatus.CONTINUABLE;
				}
				return sendPart(contribution);
			}
			case SEND_PART -> {
				return sendPart(contribution);
			}
			case COMPLETE -> {
				upload.complete();
				return done();
			}
			case DONE -> {
				return done();
			}
		}
		throw new IllegalStateException("Unknown phase " + this.phase);
	}

	private RepeatStatus sendPart(StepContribution contribution) {
		ResumableUpload upload = this.output.upload();
		// the part after a full last one holds no rows: nothing to send, unless the
		// object would have no part at all
		if (partRows() > 0 || upload.partCount() == 0) {
			this.output.sendPart(partRows());
			partAcknowledged(contribution);
		}
		if (this.lastPart) {
			upload.markAllPartsSent();
			this.phase = Phase.COMPLETE;
		}
		else {
			this.phase = Phase.FILL_PART;
		}
		return RepeatStatus.CONTINUABLE;
	}

	private RepeatStatus done() {
		this.output.finish();
		this.phase = Phase.DONE;
		return RepeatStatus.FINISHED;
	}

}
