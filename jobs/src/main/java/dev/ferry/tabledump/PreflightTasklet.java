package dev.ferry.tabledump;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.s3.S3Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Checks everything a dump needs before any byte is uploaded: every table exists and may
 * be read, and the target bucket exists and accepts the credentials. Runs again on every
 * restart, since tables, grants and buckets change between runs. Keeps nothing in its
 * ExecutionContext.
 */
class PreflightTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(PreflightTasklet.class);

	private final List<TableName> tables;

	private final SourceDatabase source;

	private final S3Target target;

	private final DumpFolder folder;

	PreflightTasklet(List<TableName> tables, SourceDatabase source, S3Target target, DumpFolder folder) {
		this.tables = tables;
		this.source = source;
		this.target = target;
		this.folder = folder;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		List<String> problems = new ArrayList<>();
		try (Connection connection = this.source.openSnapshot()) {
			for (TableName table : this.tables) {
				try {
					SourceTable.lookUp(connection, table);
				}
				catch (SourceTable.TableProblem ex) {
					problems.add(ex.getMessage());
				}
			}
			connection.rollback();
		}
		catch (SQLException ex) {
			throw SourceFailure.of(ex, this.source.url());
		}
		if (!problems.isEmpty()) {
			throw new SourceTable.TableProblem(String.join("; ", problems));
		}
		this.target.checkAccess();
		checkNoOtherInstanceWrote();
		logger.info("Checked {} table(s) in {} and bucket '{}' at {}; objects are written with encryption {}",
				this.tables.size(), this.source.url(), this.target.location().bucket(),
				this.target.location().displayEndpoint(), this.target.encryption());
		return RepeatStatus.FINISHED;
	}

	/**
	 * Another job instance with the same run date (another CronJob, another table list)
	 * may have written to the same folder: its objects are never overwritten.
	 */
	private void checkNoOtherInstanceWrote() {
		List<String> keys = new ArrayList<>();
		this.tables.forEach(table -> keys.add(this.folder.tableKey(table)));
		keys.add(this.folder.manifestKey());
		List<String> conflicts = this.folder.writtenByOthers(keys);
		if (!conflicts.isEmpty()) {
			throw new ObjectConflict("This run, " + this.folder.describe() + ", would overwrite what another wrote: "
					+ String.join("; ", conflicts) + ". Nothing was uploaded. Dump those tables under another"
					+ " runDate or ferry.table-dump.target.prefix, or remove them from the tables parameter");
		}
	}

	/** A run would overwrite an object another job instance wrote. */
	static class ObjectConflict extends RuntimeException {

		ObjectConflict(String message) {
			super(message);
		}

	}

}
