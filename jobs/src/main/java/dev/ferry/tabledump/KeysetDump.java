package dev.ferry.tabledump;

import java.sql.SQLException;
import java.util.List;

import dev.ferry.common.transfer.ResumableUpload;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepContribution;

/**
 * A table with a primary key, read in keyset batches ordered by the key through
 * {@code COPY (query) TO STDOUT (FORMAT csv)} (see {@link KeysetQuery}) and gathered into
 * parts of about the configured size. Each acknowledged part records the key of its last
 * row ({@code tableDump.lastKey}), so a restart continues the same upload after it.
 * <p>
 * Not thread-safe: one per table being dumped.
 */
final class KeysetDump extends PartedDump {

	private static final Logger logger = LoggerFactory.getLogger(KeysetDump.class);

	private static final int FIRST_BATCH_ROWS = 1_000;

	private static final int MAX_BATCH_ROWS = 2_000_000;

	/** Compressed size over CSV size assumed until a part is finished. */
	private static final double PESSIMISTIC_RATIO = 0.5;

	/** A batch asks for at most this many parts' worth of CSV. */
	private static final double MAX_BATCH_PARTS = 4;

	private final int partSize;

	/** Rows in the part in memory, and the key of its last row. */
	private long partRows;

	private @Nullable List<String> partLastKey;

	/** The batch being read, until it ends. */
	private @Nullable CopyOut copy;

	KeysetDump(DumpedObject output, Source source) {
		super(output, source);
		this.partSize = source.partSize();
	}

	@Override
	void prepare() {
		ResumableUpload upload = this.output.upload();
		switch (upload.resume()) {
			case FRESH -> {
			}
			case RESUMED -> {
				logger.info("Table '{}': resuming multipart upload of {} after row {} ({} parts already uploaded)",
						this.table.name(), upload.uri(), this.output.checkpoint().rows, upload.partCount());
				resumeAt(upload);
			}
			case COMPLETED -> {
				logger.info("Table '{}': {} was completed by the earlier run before it could record it",
						this.table.name(), upload.uri());
				alreadyComplete();
			}
			case LOST -> {
				logger.warn("Table '{}': dumping the table again from its first row", this.table.name());
				this.output.restartFromFirstRow();
			}
		}
	}

	@Override
	boolean fillPart() throws SQLException {
		DumpCheckpoint checkpoint = this.output.checkpoint();
		GzipPart part = this.output.part();
		this.partRows = 0;
		List<String> from = checkpoint.lastKey;
		boolean tableEnded;
		while (true) {
			int limit = nextBatchRows();
			boolean header = checkpoint.rows == 0 && this.partRows == 0;
			Batch batch = copyBatch(from, limit, header);
			this.partRows += batch.rows();
			this.stepExecution.setReadCount(this.stepExecution.getReadCount() + batch.rows());
			if (batch.lastKey() != null) {
				from = batch.lastKey();
			}
			if (batch.rows() < limit) {
				tableEnded = true;
				break;
			}
			if (part.size() >= this.closePartAt) {
				tableEnded = false;
				break;
			}
		}
		this.partLastKey = from;
		return tableEnded;
	}

	@Override
	long partRows() {
		return this.partRows;
	}

	@Override
	void partAcknowledged(StepContribution contribution) {
		this.output.checkpoint().lastKey = this.partLastKey;
		contribution.incrementWriteCount(this.partRows);
	}

	/**
	 * Rows for the next batch: about enough to fill the part. The compression ratio comes
	 * from the parts already finished; before the first one is, from a pessimistic guess,
	 * since an open gzip member shows fewer bytes than it will hold. A batch never asks
	 * for more CSV than a few parts' worth, which bounds the memory a part takes.
	 */
	private int nextBatchRows() {
		DumpCheckpoint checkpoint = this.output.checkpoint();
		GzipPart part = this.output.part();
		long rows = checkpoint.rows + this.partRows;
		long csv = checkpoint.csvBytes + part.csvBytes();
		if (rows < FIRST_BATCH_ROWS || csv == 0) {
			return FIRST_BATCH_ROWS;
		}
		double csvPerRow = (double) csv / rows;
		long sent = this.output.upload().bytes();
		double ratio = (checkpoint.csvBytes > 0 && sent > 0) ? (double) sent / checkpoint.csvBytes
				: Math.max(PESSIMISTIC_RATIO, (double) part.size() / part.csvBytes());
		double wantedCsv = Math.min((this.partSize - part.size()) / ratio, MAX_BATCH_PARTS * this.partSize);
		return (int) Math.clamp((long) (wantedCsv / csvPerRow) + 1, 100, MAX_BATCH_ROWS);
	}

	private Batch copyBatch(@Nullable List<String> after, int limit, boolean header) throws SQLException {
		String sql = KeysetQuery.batch(this.table, after, limit, header);
		CopyOut copy = this.connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
		this.copy = copy;
		GzipPart part = this.output.part();
		byte[] last = null;
		int messages = 0;
		for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
			part.write(row, 0, row.length);
			this.progress.addBytes(row.length);
			last = row;
			messages++;
		}
		this.copy = null;
		long rows = copy.getHandledRowCount();
		boolean lastIsData = rows > 0 && last != null && messages > (header ? 1 : 0);
		return new Batch(rows, lastIsData ? keyOf(last) : null);
	}

	private List<String> keyOf(byte[] record) {
		List<String> fields = CsvRecord.fields(record);
		return this.table.keyPositions().stream().map(fields::get).toList();
	}

	@Override
	void close() {
		cancel(this.copy);
		this.copy = null;
	}

	private record Batch(long rows, @Nullable List<String> lastKey) {
	}

}
