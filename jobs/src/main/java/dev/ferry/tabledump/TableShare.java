package dev.ferry.tabledump;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The share of the listed tables that one pod of a Kubernetes Indexed Job dumps:
 * {@code part=$(JOB_COMPLETION_INDEX) parts=<completions>} gives pod {@code i} the tables
 * at positions {@code i}, {@code i + parts}, {@code i + 2 parts}... of the {@code tables}
 * parameter. The shares of {@code part=0..parts-1} neither overlap nor leave a table out,
 * each is a job instance of its own (both are identifying), so a killed pod's share
 * resumes by running that index again, and each writes its own manifest. Without them a
 * run dumps every table.
 *
 * @param part this pod's index, from 0
 * @param parts how many pods share the tables
 */
record TableShare(int part, int parts) {

	static final String PART = "part";

	static final String PARTS = "parts";

	static final TableShare ALL = new TableShare(0, 1);

	/**
	 * The share the parameters name.
	 * @throws IllegalArgumentException when only one of the two is given, or they are not
	 * a part below a positive count
	 */
	static TableShare of(JobParameters parameters) {
		JobParameter<?> part = parameters.getParameter(PART);
		JobParameter<?> parts = parameters.getParameter(PARTS);
		if (part == null && parts == null) {
			return ALL;
		}
		if (part == null || parts == null) {
			throw new IllegalArgumentException(
					"give both part and parts (part=$(JOB_COMPLETION_INDEX) parts=<completions>), or neither");
		}
		int count = number(parts, PARTS);
		int index = number(part, PART);
		if (count < 1 || index < 0 || index >= count) {
			throw new IllegalArgumentException(
					"part must be 0 to parts - 1 and parts at least 1, not part=" + index + " parts=" + count);
		}
		return new TableShare(index, count);
	}

	private static int number(@Nullable JobParameter<?> parameter, String name) {
		try {
			return Integer.parseInt(String.valueOf(parameter.value()).strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, not '" + parameter.value() + "'", ex);
		}
	}

	/** This share of the tables, in the order they were listed. */
	List<TableName> of(List<TableName> tables) {
		List<TableName> share = new ArrayList<>();
		for (int i = this.part; i < tables.size(); i += this.parts) {
			share.add(tables.get(i));
		}
		return share;
	}

	/** The tables a job's parameters name, this share of them. */
	static List<TableName> tables(JobParameters parameters) {
		List<TableName> listed = TableName
			.parseList(String.valueOf(parameters.getParameter(TableDumpParametersValidator.TABLES).value()));
		return of(parameters).of(listed);
	}

}
