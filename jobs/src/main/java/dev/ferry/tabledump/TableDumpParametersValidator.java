package dev.ferry.tabledump;

import java.util.Set;

import dev.ferry.common.batch.JobShare;
import dev.ferry.common.batch.RunDate;
import dev.ferry.common.batch.StrictJobParametersValidator;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Refuses table-dump's parameters before anything runs: unknown names, a missing
 * {@code tables}, any table name that is not an identifier, and a share
 * ({@code part}/{@code parts}, see {@link JobShare}) that is not one.
 */
class TableDumpParametersValidator implements JobParametersValidator {

	static final String TABLES = "tables";

	private final JobParametersValidator names = new StrictJobParametersValidator(Set.of(RunDate.NAME, TABLES),
			JobShare.PARAMETERS);

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.names.validate(parameters);
		Object tables = parameters.getParameter(TABLES).value();
		try {
			TableName.parseList(String.valueOf(tables));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobParametersException(TABLES + ": " + ex.getMessage());
		}
		JobShare.validate(parameters);
	}

}
