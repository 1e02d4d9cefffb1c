package dev.ferry.tabledump;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.ferry.common.batch.RunDate;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.transfer.ResumableUpload;
import dev.ferry.common.transfer.StoredObject;
import dev.ferry.run.AbandonCleanup;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Aborts the multipart uploads of a table-dump run that is given up for good, so that no
 * half-written object lingers (and is billed) in the bucket. For each table that did not
 * finish: the upload its checkpoint names, and any other open upload of the same key (a
 * killed one-pass dump of a table without a key opens uploads it never records).
 */
class AbandonedDumpCleanup implements AbandonCleanup {

	private final JobRepository jobRepository;

	/** Looked up when an execution is abandoned, so that start-up builds no S3 client. */
	private final ObjectProvider<S3Target> target;

	AbandonedDumpCleanup(JobRepository jobRepository, ObjectProvider<S3Target> target) {
		this.jobRepository = jobRepository;
		this.target = target;
	}

	@Override
	public String jobName() {
		return TableDumpConfiguration.JOB_NAME;
	}

	@Override
	public List<String> cleanUp(JobExecution execution) {
		Object runDate = execution.getJobParameters().getParameter(RunDate.NAME).value();
		List<String> done = new ArrayList<>();
		for (TableName table : TableShare.tables(execution.getJobParameters())) {
			StepExecution last = this.jobRepository.getLastStepExecution(execution.getJobInstance(),
					TablePartitioner.stepName(table));
			if (last != null && last.getStatus().name().equals("COMPLETED")) {
				continue;
			}
			S3Target target = this.target.getObject();
			StoredObject upload = new StoredObject(target, DumpFolder.tableKey(target, String.valueOf(runDate), table));
			Set<String> uploads = new LinkedHashSet<>();
			if (last != null) {
				ResumableUpload.savedUploadId(DumpCheckpoint.NAME, last.getExecutionContext()).ifPresent(uploads::add);
			}
			uploads.addAll(upload.openUploads());
			for (String uploadId : uploads) {
				upload.abort(uploadId);
				done.add("aborted multipart upload " + uploadId + " of " + upload.uri());
			}
		}
		return done;
	}

}
