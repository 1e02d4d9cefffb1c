package dev.ferry.tabledump;

import java.util.List;

import dev.ferry.common.batch.JobShare;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The tables one pod of a Kubernetes Indexed Job dumps: with
 * {@code part=$(JOB_COMPLETION_INDEX) parts=<completions>} pod {@code i} takes the tables
 * at positions {@code i}, {@code i + parts}, {@code i + 2 parts}... of the {@code tables}
 * parameter ({@link JobShare#of(List)}). The shares neither overlap nor leave a table
 * out, each is a job instance of its own, so a killed pod's share resumes by running that
 * index again, and each writes its own manifest. Without them a run dumps every table.
 */
final class TableShare {

	private TableShare() {
	}

	/** The tables a job's parameters name, this pod's share of them. */
	static List<TableName> tables(JobParameters parameters) {
		List<TableName> listed = TableName
			.parseList(String.valueOf(parameters.getParameter(TableDumpParametersValidator.TABLES).value()));
		return JobShare.of(parameters).of(listed);
	}

}
