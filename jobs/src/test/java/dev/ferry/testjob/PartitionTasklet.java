package dev.ferry.testjob;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One partition of {@link PartitionedJobConfiguration}: inserts its ten numbers into
 * {@code test_sink} in one chunk.
 * <p>
 * When it is the one to fail, it does what table-dump's partition does when a row is too
 * wide for the heap: an OutOfMemoryError strikes in the middle of a PgJDBC COPY (here
 * thrown on purpose after the first row), and the step's {@link #close()} then rolls back
 * and closes the connection, as {@code TableDumpTasklet} does. PgJDBC keeps a connection
 * locked while a COPY is open, so the rollback waits forever, and so does the partition
 * thread.
 * <p>
 * Not thread-safe: step-scoped.
 */
class PartitionTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(PartitionTasklet.class);

	static final String PARTITION = "partition";

	private final int partition;

	private final DataSource dataSource;

	private final boolean dieOfAnError;

	private @Nullable Connection copyConnection;

	PartitionTasklet(int partition, DataSource dataSource, boolean dieOfAnError) {
		this.partition = partition;
		this.dataSource = dataSource;
		this.dieOfAnError = dieOfAnError;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		if (this.dieOfAnError) {
			this.copyConnection = this.dataSource.getConnection();
			this.copyConnection.setAutoCommit(false);
			CopyOut copy = this.copyConnection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyOut("COPY (SELECT generate_series(1, 1000000)) TO STDOUT");
			copy.readFromCopy();
			throw new OutOfMemoryError("Java heap space (thrown by the test job in the middle of a COPY)");
		}
		int first = (this.partition - 1) * 10 + 1;
		JdbcTemplate jdbcTemplate = new JdbcTemplate(this.dataSource);
		for (int item = first; item < first + 10; item++) {
			jdbcTemplate.update("INSERT INTO test_sink (item) VALUES (?)", item);
			contribution.incrementReadCount();
		}
		contribution.incrementWriteCount(10);
		return RepeatStatus.FINISHED;
	}

	@Override
	public void open(ExecutionContext executionContext) {
	}

	@Override
	public void update(ExecutionContext executionContext) {
	}

	@Override
	public void close() {
		if (this.copyConnection != null) {
			try {
				this.copyConnection.rollback();
				this.copyConnection.close();
			}
			catch (SQLException ex) {
				logger.warn("Partition {}: could not close the COPY's connection cleanly", this.partition, ex);
			}
			this.copyConnection = null;
		}
	}

}
