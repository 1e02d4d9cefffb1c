package dev.ferry.history;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the history views of {@code db/} ({@code ferry_job_history},
 * {@code ferry_step_history}, {@code ferry_restartable_executions}) for the CLI. The CLI
 * selects whole rows of the views, so it shows exactly what psql shows for the same
 * query.
 * <p>
 * Thread-safe.
 */
public class HistoryQueries {

	/**
	 * A logical run's identifying parameters: the view's {@code parameters} without
	 * {@code part=<n>} (they are sorted by name and separated by one space).
	 */
	static final String RUN = "regexp_replace(parameters, '(^| )part=[0-9]+( |$)', ' ')";

	private final JdbcTemplate jdbcTemplate;

	public HistoryQueries(JdbcTemplate jdbcTemplate) {
		this.jdbcTemplate = jdbcTemplate;
	}

	/**
	 * Job executions, newest run first, the executions of one logical run together: those
	 * of one job with the same identifying parameters but {@code part} (the pods of a
	 * Kubernetes Indexed Job, {@code JobShare}, and their reruns), each run placed by its
	 * newest execution, newest first within it. Without parts a run is one job instance,
	 * so this is the order of execution ids, newest first, broken only to keep a rerun of
	 * one pod beside its siblings.
	 * @param job only this job, or all
	 * @param status only this status; {@code STALE} selects the stale executions
	 * @param since only executions started at or after this time
	 * @param limit at most this many rows
	 */
	public PsqlTable jobExecutions(@Nullable String job, @Nullable String status, @Nullable LocalDateTime since,
			int limit) {
		StringBuilder sql = new StringBuilder("SELECT * FROM ferry_job_history WHERE true");
		List<Object> args = new ArrayList<>();
		if (job != null) {
			sql.append(" AND job = ?");
			args.add(job);
		}
		if (status != null) {
			if ("STALE".equals(status)) {
				sql.append(" AND stale");
			}
			else {
				sql.append(" AND status = ?");
				args.add(status);
			}
		}
		if (since != null) {
			sql.append(" AND start_time >= ?");
			args.add(since);
		}
		sql.append(" ORDER BY max(execution_id) OVER (PARTITION BY job, ").append(RUN).append(") DESC,");
		sql.append(" execution_id DESC LIMIT ?");
		args.add(limit);
		return this.jdbcTemplate.query(sql.toString(), PsqlTable::of, args.toArray());
	}

	public PsqlTable jobExecution(long executionId) {
		return this.jdbcTemplate.query("SELECT * FROM ferry_job_history WHERE execution_id = ?", PsqlTable::of,
				executionId);
	}

	public PsqlTable stepExecutions(long executionId) {
		return this.jdbcTemplate.query(
				"SELECT * FROM ferry_step_history WHERE execution_id = ? ORDER BY step_execution_id", PsqlTable::of,
				executionId);
	}

	/**
	 * The recorded root causes of a failed execution: step name ('' for the job) and
	 * cause.
	 */
	public List<String[]> rootCauses(long executionId) {
		return this.jdbcTemplate.query(
				"SELECT step_name, root_cause FROM ferry_execution_failure WHERE job_execution_id = ? ORDER BY step_name",
				(rs, n) -> new String[] { rs.getString(1), rs.getString(2) }, executionId);
	}

	/**
	 * The full exit message of an execution, which the history views cut to its first
	 * line.
	 */
	public @Nullable String exitMessage(long executionId) {
		List<String> messages = this.jdbcTemplate.queryForList(
				"SELECT exit_message FROM batch_job_execution WHERE job_execution_id = ?", String.class, executionId);
		return messages.isEmpty() ? null : messages.getFirst();
	}

	/** The newest restartable execution of a job, if any. */
	public @Nullable Long lastRestartable(String job) {
		List<Long> ids = this.jdbcTemplate.queryForList(
				"SELECT max(execution_id) FROM ferry_restartable_executions WHERE job = ? HAVING count(*) > 0",
				Long.class, job);
		return ids.isEmpty() ? null : ids.getFirst();
	}

}
