package dev.ferry.tabledump;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.transfer.PartBytes;
import dev.ferry.common.transfer.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Writes the completion markers once every table is uploaded: the job instance's
 * {@code manifest-<instance>.json} beside the dumps (per table: object key, rows, bytes,
 * SHA-256), then, when configured, {@code pipeline_success.flag}, which s3-mirror's
 * routed egress waits for. The figures come from each table's last step execution, so
 * tables dumped by an earlier, failed run of the same instance are listed too.
 * Idempotent: a restart writes the same objects again. Keeps nothing in its
 * ExecutionContext.
 */
class ManifestTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(ManifestTasklet.class);

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final List<TableName> tables;

	private final String runDate;

	private final DumpFolder folder;

	private final JobRepository jobRepository;

	private final boolean writeFlag;

	ManifestTasklet(List<TableName> tables, String runDate, DumpFolder folder, JobRepository jobRepository,
			boolean writeFlag) {
		this.tables = tables;
		this.runDate = runDate;
		this.folder = folder;
		this.jobRepository = jobRepository;
		this.writeFlag = writeFlag;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		JobExecution job = chunkContext.getStepContext().getStepExecution().getJobExecution();
		List<Manifest.Table> entries = new ArrayList<>();
		for (TableName table : this.tables) {
			String stepName = TablePartitioner.stepName(table);
			StepExecution last = this.jobRepository.getLastStepExecution(job.getJobInstance(), stepName);
			if (last == null || !last.getExecutionContext().containsKey(DumpCheckpoint.SHA256)) {
				throw new IllegalStateException("Table '" + table + "' has no completed dump in step '" + stepName
						+ "'; the manifest would be incomplete");
			}
			ExecutionContext context = last.getExecutionContext();
			entries.add(new Manifest.Table(table.display(), context.getString(DumpCheckpoint.KEY),
					context.getLong(DumpCheckpoint.ROWS), context.getLong(DumpCheckpoint.BYTES),
					context.getLong(DumpCheckpoint.CSV_BYTES), context.getString(DumpCheckpoint.SHA256)));
		}
		Manifest manifest = new Manifest(this.runDate, job.getJobInstance().getInstanceId(), job.getId(),
				Instant.now().toString(), entries);
		StoredObject manifestObject = this.folder.object(this.folder.manifestKey());
		manifestObject.put(PartBytes.of(json.writeValueAsBytes(manifest)), "application/json");
		logger.info("Manifest of {} table(s) written to {}", entries.size(), manifestObject.uri());
		if (this.writeFlag) {
			StoredObject flag = this.folder.object(this.folder.flagKey());
			flag.put(PartBytes.of(new byte[0]), "application/octet-stream");
			logger.info("Wrote {}", flag.uri());
		}
		logger.info("Success.");
		return RepeatStatus.FINISHED;
	}

	/**
	 * The manifest's JSON shape.
	 *
	 * @param runDate the dump's date
	 * @param jobInstanceId the job instance in Ferry's repository
	 * @param jobExecutionId the execution that wrote the manifest
	 * @param written when it was written (UTC)
	 * @param tables one entry per table, in parameter order
	 */
	record Manifest(String runDate, long jobInstanceId, long jobExecutionId, String written, List<Table> tables) {

		/**
		 * @param table the table as named in the parameters
		 * @param key the object's key
		 * @param rows data rows (the header not counted)
		 * @param bytes the object's size
		 * @param csvBytes the size of the CSV once decompressed
		 * @param sha256 SHA-256 of the object, hex
		 */
		record Table(String table, String key, long rows, long bytes, long csvBytes, String sha256) {
		}

	}

}
