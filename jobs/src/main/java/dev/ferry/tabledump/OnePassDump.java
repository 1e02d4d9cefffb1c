package dev.ferry.tabledump;

import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepContribution;

/**
 * A table without a primary key: one {@code COPY table TO STDOUT} read from its first row
 * to its last, cut into parts by size alone. The COPY stays open from chunk to chunk (it
 * runs on the source's connection, not in the step's transaction), so each part still
 * commits as it is acknowledged and a stop takes effect at a part boundary. There is no
 * position to resume from: a restart aborts the upload the earlier pass left, and any it
 * never got to record, and dumps the table again from its first row.
 * <p>
 * Not thread-safe: one per table being dumped.
 */
final class OnePassDump extends PartedDump {

	private static final Logger logger = LoggerFactory.getLogger(OnePassDump.class);

	private @Nullable CopyOut copy;

	/** Whether the COPY's first message, the header row, has been read. */
	private boolean headerRead;

	/** Rows of the COPY so far (the header not counted), and in the part in memory. */
	private long rowsRead;

	private long partRows;

	OnePassDump(DumpedObject output, Source source) {
		super(output, source);
	}

	@Override
	void prepare() {
		logger.info("Table '{}' has no primary key: it is dumped in one pass, and a restart dumps it again from its"
				+ " first row", this.table.name());
		List<String> aborted = this.output.upload().discard();
		aborted.forEach(uploadId -> logger.info("Table '{}': aborted multipart upload {} of {} left by an earlier pass",
				this.table.name(), uploadId, this.output.upload().uri()));
		this.output.restartFromFirstRow();
	}

	@Override
	boolean fillPart() throws SQLException {
		if (this.copy == null) {
			this.copy = this.connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyOut(KeysetQuery.onePass(this.table));
		}
		GzipPart part = this.output.part();
		this.partRows = 0;
		for (byte[] row = this.copy.readFromCopy(); row != null; row = this.copy.readFromCopy()) {
			part.write(row, 0, row.length);
			this.progress.addBytes(row.length);
			if (this.headerRead) {
				this.partRows++;
			}
			this.headerRead = true;
			if (part.size() >= this.closePartAt) {
				countRead();
				return false;
			}
		}
		countRead();
		this.copy = null;
		return true;
	}

	private void countRead() {
		this.rowsRead += this.partRows;
		this.stepExecution.setReadCount(this.rowsRead);
	}

	@Override
	void close() {
		cancel(this.copy);
		this.copy = null;
	}

	@Override
	long partRows() {
		return this.partRows;
	}

	@Override
	void partAcknowledged(StepContribution contribution) {
		contribution.incrementWriteCount(this.partRows);
	}

}
