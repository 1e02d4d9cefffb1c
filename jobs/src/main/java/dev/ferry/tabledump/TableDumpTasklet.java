package dev.ferry.tabledump;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import dev.ferry.common.progress.StepProgress;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Dumps one table into one gzip CSV object, one multipart part per call of
 * {@link #execute}, so that every committed chunk is a part the store has acknowledged.
 * <ul>
 * <li>With a primary key, rows are read in keyset batches ordered by the key
 * ({@code WHERE (key) > (last) ORDER BY key LIMIT n}) through
 * {@code COPY (query) TO STDOUT (FORMAT csv)}, and gathered into one gzip member per
 * part. A restart continues the same upload after the last acknowledged key (see
 * {@link DumpCheckpoint} for what the ExecutionContext keeps).</li>
 * <li>Without a primary key there is no position to resume from: the table is read in one
 * pass, and a restart aborts what the killed pass left and starts over.</li>
 * <li>A table that fits in one part is written with a single PUT.</li>
 * </ul>
 * One snapshot ({@code REPEATABLE READ}) serves the whole table within one run.
 * <p>
 * Not thread-safe: step-scoped, one per table.
 */
public class TableDumpTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(TableDumpTasklet.class);

	static final int MIN_PART_BYTES = 5 * 1024 * 1024;

	private static final int FIRST_BATCH_ROWS = 1_000;

	private static final int MAX_BATCH_ROWS = 2_000_000;

	/** Compressed size over CSV size assumed until a part is finished. */
	private static final double PESSIMISTIC_RATIO = 0.5;

	/** A batch asks for at most this many parts' worth of CSV. */
	private static final double MAX_BATCH_PARTS = 4;

	private static final double MIB = 1024.0 * 1024.0;

	private final TableName table;

	private final SourceDatabase source;

	private final ObjectUpload upload;

	private final StepExecution stepExecution;

	private final StepProgress progress;

	private final int partSize;

	private final int closePartAt;

	private final GzipPart part;

	private DumpCheckpoint checkpoint = new DumpCheckpoint();

	private @Nullable Connection connection;

	private @Nullable SourceTable sourceTable;

	/** SHA-256 of the object, while every part so far went through this instance. */
	private @Nullable MessageDigest digest;

	/** The part in memory: its rows, the key it ends at, and whether it is the last. */
	private long partRows;

	private @Nullable List<String> partLastKey;

	private boolean partIsLast;

	private boolean partAwaitsUpload;

	/** The upload was completed by a run that was killed before it could record it. */
	private boolean completedUnrecorded;

	public TableDumpTasklet(TableName table, String objectKey, SourceDatabase source, TableDumpTarget target,
			GzipCompressor compressor, TableDumpProperties properties, StepExecution stepExecution,
			StepProgress progress) {
		this.table = table;
		this.source = source;
		this.upload = new ObjectUpload(target, objectKey);
		this.stepExecution = stepExecution;
		this.progress = progress;
		this.progress.setItemName("rows");
		this.partSize = (int) properties.partSize().toBytes();
		this.closePartAt = Math.max(MIN_PART_BYTES, this.partSize / 4 * 3);
		this.part = new GzipPart(compressor, this.partSize + this.partSize / 4);
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.checkpoint = DumpCheckpoint.from(executionContext);
		this.connection = this.source.openSnapshot();
		try {
			this.sourceTable = SourceTable.lookUp(this.connection, this.table);
		}
		catch (SQLException ex) {
			throw SourceFailure.of(ex, this.source.url(), this.table);
		}
		logger.info("Table '{}': Data collection started.", this.table);
		try {
			if (!this.sourceTable.hasPrimaryKey()) {
				prepareOnePass();
			}
			else if (this.checkpoint.uploadId != null) {
				prepareResume(this.checkpoint.uploadId);
			}
		}
		catch (SdkException ex) {
			throw new UploadFailure("Table '" + this.table + "': checking the earlier upload of " + this.upload.uri()
					+ " failed: " + ex.getMessage(), ex);
		}
		boolean fromScratch = this.checkpoint.uploadId == null && this.checkpoint.parts.isEmpty();
		this.digest = fromScratch ? Digests.sha256() : null;
		if (this.sourceTable.estimatedRows() > 0) {
			this.progress.setTotalItems(this.sourceTable.estimatedRows() - this.checkpoint.rows);
		}
	}

	private void prepareOnePass() {
		logger.info("Table '{}' has no primary key: it is dumped in one pass, and a restart dumps it again from its"
				+ " first row", this.table);
		if (this.checkpoint.uploadId != null) {
			this.upload.abort(this.checkpoint.uploadId);
		}
		// a killed pass may have opened an upload that it never got to record
		for (String stray : this.upload.openUploads()) {
			logger.info("Table '{}': aborting multipart upload {} of {} left by an earlier pass", this.table, stray,
					this.upload.uri());
			this.upload.abort(stray);
		}
		this.checkpoint.reset();
	}

	private void prepareResume(String uploadId) {
		if (this.upload.isOpen(uploadId)) {
			logger.info("Table '{}': resuming multipart upload of {} after row {} ({} parts already uploaded)",
					this.table, this.upload.uri(), this.checkpoint.rows, this.checkpoint.parts.size());
			return;
		}
		boolean stored = this.checkpoint.allPartsUploaded
				&& this.upload.head().map(head -> head.contentLength() == this.checkpoint.bytes).orElse(false);
		if (stored) {
			logger.info("Table '{}': {} was completed by the earlier run before it could record it", this.table,
					this.upload.uri());
			this.completedUnrecorded = true;
			return;
		}
		logger.warn("Table '{}': multipart upload {} of {} no longer exists (aborted, or expired by a lifecycle rule);"
				+ " dumping the table again from its first row", this.table, uploadId, this.upload.uri());
		this.checkpoint.reset();
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		try {
			return dumpNext(contribution);
		}
		catch (SQLException ex) {
			throw SourceFailure.of(ex, this.source.url(), this.table);
		}
		catch (SdkException ex) {
			throw new UploadFailure(
					"Table '" + this.table + "': writing " + this.upload.uri() + " failed: " + ex.getMessage(), ex);
		}
	}

	private RepeatStatus dumpNext(StepContribution contribution) throws SQLException {
		if (this.completedUnrecorded) {
			return finishTable();
		}
		if (!this.sourceTable.hasPrimaryKey()) {
			dumpInOnePass(contribution);
			return finishTable();
		}
		if (this.checkpoint.allPartsUploaded) {
			this.upload.complete(this.checkpoint.uploadId, this.checkpoint.parts);
			return finishTable();
		}
		if (!this.partAwaitsUpload) {
			buildPart();
		}
		if (this.checkpoint.uploadId == null) {
			if (this.partIsLast) {
				this.upload.put(this.part);
				countPart();
				recordKeysetPart(contribution);
				return finishTable();
			}
			// the upload id is committed before any part is sent: no upload is ever
			// unknown to the job repository
			this.checkpoint.uploadId = this.upload.create();
			this.partAwaitsUpload = true;
			return RepeatStatus.CONTINUABLE;
		}
		if (this.partRows > 0 || this.checkpoint.parts.isEmpty()) {
			sendPart();
			recordKeysetPart(contribution);
			logger.debug("Table '{}': part {} uploaded, {} rows so far", this.table, this.checkpoint.parts.size(),
					this.checkpoint.rows);
		}
		this.partAwaitsUpload = false;
		this.checkpoint.allPartsUploaded = this.partIsLast;
		return RepeatStatus.CONTINUABLE;
	}

	/**
	 * Reads keyset batches into the part until it is big enough or the table ends. The
	 * first batch of the object carries the header row.
	 */
	private void buildPart() throws SQLException {
		this.part.start();
		this.partRows = 0;
		this.partIsLast = false;
		List<String> from = this.checkpoint.lastKey;
		while (true) {
			int rows = nextBatchRows();
			boolean header = this.checkpoint.rows == 0 && this.partRows == 0;
			Batch batch = copyBatch(from, rows, header);
			this.partRows += batch.rows();
			this.stepExecution.setReadCount(this.stepExecution.getReadCount() + batch.rows());
			if (batch.lastKey() != null) {
				from = batch.lastKey();
			}
			if (batch.rows() < rows) {
				this.partIsLast = true;
				break;
			}
			if (this.part.size() >= this.closePartAt) {
				break;
			}
		}
		this.part.finish();
		this.partLastKey = from;
	}

	/**
	 * Rows for the next batch: about enough to fill the part. The compression ratio comes
	 * from the parts already finished; before the first one is, from a pessimistic guess,
	 * since an open gzip member shows fewer bytes than it will hold. A batch never asks
	 * for more CSV than a few parts' worth, which bounds the memory a part takes.
	 */
	private int nextBatchRows() {
		long rows = this.checkpoint.rows + this.partRows;
		long csv = this.checkpoint.csvBytes + this.part.csvBytes();
		if (rows < FIRST_BATCH_ROWS || csv == 0) {
			return FIRST_BATCH_ROWS;
		}
		double csvPerRow = (double) csv / rows;
		double ratio = (this.checkpoint.csvBytes > 0) ? (double) this.checkpoint.bytes / this.checkpoint.csvBytes
				: Math.max(PESSIMISTIC_RATIO, (double) this.part.size() / this.part.csvBytes());
		double wantedCsv = Math.min((this.partSize - this.part.size()) / ratio, MAX_BATCH_PARTS * this.partSize);
		return (int) Math.clamp((long) (wantedCsv / csvPerRow) + 1, 100, MAX_BATCH_ROWS);
	}

	private Batch copyBatch(@Nullable List<String> after, int limit, boolean header) throws SQLException {
		SourceTable source = this.sourceTable;
		String keys = "(" + String.join(", ", source.keyColumns()) + ")";
		StringBuilder sql = new StringBuilder("COPY (SELECT ").append(String.join(", ", source.columns()))
			.append(" FROM ")
			.append(source.sqlName());
		if (after != null) {
			StringJoiner literals = new StringJoiner(", ", "(", ")");
			after.forEach(value -> literals.add(literal(value)));
			sql.append(" WHERE ").append(keys).append(" > ").append(literals);
		}
		sql.append(" ORDER BY ")
			.append(String.join(", ", source.keyColumns()))
			.append(" LIMIT ")
			.append(limit)
			.append(") TO STDOUT (FORMAT csv")
			.append(header ? ", HEADER)" : ")");
		CopyOut copy = this.connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql.toString());
		byte[] last = null;
		int messages = 0;
		for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
			this.part.write(row, 0, row.length);
			this.progress.addBytes(row.length);
			last = row;
			messages++;
		}
		long rows = copy.getHandledRowCount();
		boolean lastIsData = rows > 0 && last != null && messages > (header ? 1 : 0);
		return new Batch(rows, lastIsData ? keyOf(last) : null);
	}

	private List<String> keyOf(byte[] record) {
		List<String> fields = CsvRecord.fields(record);
		return this.sourceTable.keyPositions().stream().map(fields::get).toList();
	}

	/**
	 * A key value as an SQL string literal. PostgreSQL types the literal from the key
	 * column it is compared with; with standard_conforming_strings on (set by
	 * {@link SourceDatabase}) doubling quotes is the whole escaping, and PostgreSQL text
	 * never holds a NUL.
	 */
	static String literal(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

	/**
	 * Streams a table without a primary key: parts are cut by size alone and sent as they
	 * fill, all within one chunk, since there is no key to resume from.
	 */
	private void dumpInOnePass(StepContribution contribution) throws SQLException {
		String sql = "COPY (SELECT " + String.join(", ", this.sourceTable.columns()) + " FROM "
				+ this.sourceTable.sqlName() + ") TO STDOUT (FORMAT csv, HEADER)";
		CopyOut copy = this.connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
		this.part.start();
		long messages = 0;
		for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
			this.part.write(row, 0, row.length);
			this.progress.addBytes(row.length);
			if (++messages % 10_000 == 0) {
				this.stepExecution.setReadCount(messages - 1);
			}
			if (this.part.size() >= this.closePartAt) {
				this.part.finish();
				if (this.checkpoint.uploadId == null) {
					this.checkpoint.uploadId = this.upload.create();
				}
				sendPart();
				this.part.start();
			}
		}
		this.part.finish();
		long rows = copy.getHandledRowCount();
		this.stepExecution.setReadCount(rows);
		if (this.checkpoint.uploadId == null) {
			this.upload.put(this.part);
			countPart();
		}
		else {
			sendPart();
			this.upload.complete(this.checkpoint.uploadId, this.checkpoint.parts);
		}
		this.checkpoint.rows = rows;
		contribution.incrementWriteCount(rows);
	}

	private void sendPart() {
		int number = this.checkpoint.nextPartNumber();
		String eTag = this.upload.uploadPart(this.checkpoint.uploadId, number, this.part);
		this.checkpoint.parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
		countPart();
	}

	/** Records an acknowledged part of a keyset dump: its rows and the key it ends at. */
	private void recordKeysetPart(StepContribution contribution) {
		this.checkpoint.rows += this.partRows;
		this.checkpoint.lastKey = this.partLastKey;
		contribution.incrementWriteCount(this.partRows);
	}

	private void countPart() {
		this.checkpoint.csvBytes += this.part.csvBytes();
		this.checkpoint.bytes += this.part.size();
		if (this.digest != null) {
			this.part.digest(this.digest);
		}
	}

	private RepeatStatus finishTable() {
		this.checkpoint.sha256 = (this.digest != null) ? HexFormat.of().formatHex(this.digest.digest())
				: this.upload.sha256OfStored();
		this.checkpoint.uploadId = null;
		logger.info("Table '{}': Dump uploaded to intermediate storage.", this.table);
		logger.info("Table '{}': {} rows, {} MiB of CSV, {} MiB compressed in {}", this.table, this.checkpoint.rows,
				mib(this.checkpoint.csvBytes), mib(this.checkpoint.bytes),
				this.checkpoint.parts.isEmpty() ? "one object" : this.checkpoint.parts.size() + " parts");
		return RepeatStatus.FINISHED;
	}

	private static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.1f", bytes / MIB);
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.checkpoint.writeTo(executionContext, this.upload.key());
	}

	@Override
	public void close() {
		if (this.connection != null) {
			try {
				if (!this.connection.isClosed()) {
					// ends the read-only snapshot; nothing was written on this connection
					this.connection.rollback();
				}
				this.connection.close();
			}
			catch (SQLException ex) {
				logger.warn("Table '{}': could not close the source connection cleanly", this.table, ex);
			}
			this.connection = null;
		}
	}

	/** The target store refused or failed a write. */
	static class UploadFailure extends RuntimeException {

		UploadFailure(String message, Throwable cause) {
			super(message, cause);
		}

	}

	private record Batch(long rows, @Nullable List<String> lastKey) {
	}

}
