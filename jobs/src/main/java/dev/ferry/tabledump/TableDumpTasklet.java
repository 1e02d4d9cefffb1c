package dev.ferry.tabledump;

import java.sql.Connection;
import java.sql.SQLException;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.transfer.StoredObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The step of one table: opens the source in one snapshot ({@code REPEATABLE READ}) for
 * the whole table within one run, looks the table up, and runs a {@link KeysetDump} when
 * it has a primary key or a {@link OnePassDump} when it has none, one chunk per
 * {@link #execute} call. Its ExecutionContext holds the table's {@link DumpCheckpoint}
 * and the upload's state (see {@link dev.ferry.common.transfer.ResumableUpload}).
 * <p>
 * Not thread-safe: step-scoped, one per table.
 */
class TableDumpTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(TableDumpTasklet.class);

	static final int MIN_PART_BYTES = 5 * 1024 * 1024;

	private final TableName table;

	private final SourceDatabase source;

	private final DumpedObject output;

	private final StepExecution stepExecution;

	private final StepProgress progress;

	private final int partSize;

	private @Nullable Connection connection;

	private @Nullable PartedDump dump;

	TableDumpTasklet(TableName table, StoredObject object, SourceDatabase source, GzipCompressor compressor,
			TableDumpProperties properties, StepExecution stepExecution, StepProgress progress) {
		this.table = table;
		this.source = source;
		this.partSize = (int) properties.partSize().toBytes();
		this.output = new DumpedObject(table, new GzipPart(compressor, this.partSize + this.partSize / 4), object);
		this.stepExecution = stepExecution;
		this.progress = progress;
		this.progress.setItemName("rows");
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.output.open(executionContext);
		this.connection = this.source.openSnapshot();
		SourceTable sourceTable;
		try {
			sourceTable = SourceTable.lookUp(this.connection, this.table);
		}
		catch (SQLException ex) {
			throw SourceFailure.of(ex, this.source.url(), this.table);
		}
		logger.info("Table '{}': Data collection started.", this.table);
		PartedDump.Source source = new PartedDump.Source(sourceTable, this.connection, this.stepExecution,
				this.progress, this.partSize);
		this.dump = sourceTable.hasPrimaryKey() ? new KeysetDump(this.output, source)
				: new OnePassDump(this.output, source);
		try {
			this.dump.prepare();
		}
		catch (SdkException ex) {
			throw new UploadFailure("Table '" + this.table + "': checking the earlier upload of "
					+ this.output.upload().uri() + " failed: " + ex.getMessage(), ex);
		}
		if (sourceTable.estimatedRows() > 0) {
			this.progress.setTotalItems(sourceTable.estimatedRows() - this.output.checkpoint().rows);
		}
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		try {
			return this.dump.next(contribution);
		}
		catch (SQLException ex) {
			throw SourceFailure.of(ex, this.source.url(), this.table);
		}
		catch (SdkException ex) {
			throw new UploadFailure(
					"Table '" + this.table + "': writing " + this.output.upload().uri() + " failed: " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.output.update(executionContext);
	}

	@Override
	public void close() {
		if (this.dump != null) {
			this.dump.close();
			this.dump = null;
		}
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

}
