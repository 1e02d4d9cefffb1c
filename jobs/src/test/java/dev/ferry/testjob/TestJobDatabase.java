package dev.ferry.testjob;

import java.util.List;

import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.PostgresDatabase;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A job repository database with Ferry's migrations and the test job's sink table, and
 * the queries that the machinery tests assert on.
 */
public final class TestJobDatabase {

	private final PostgresDatabase database;

	private final JdbcTemplate jdbc;

	private TestJobDatabase(PostgresDatabase database) {
		this.database = database;
		this.jdbc = new JdbcTemplate(database.dataSource());
	}

	public static TestJobDatabase create() {
		PostgresDatabase database = EmbeddedPostgresServer.shared().newMigratedDatabase();
		TestJobDatabase testDatabase = new TestJobDatabase(database);
		testDatabase.jdbc.execute("CREATE TABLE test_sink (item integer PRIMARY KEY)");
		return testDatabase;
	}

	public PostgresDatabase database() {
		return this.database;
	}

	/** Makes this database the job repository of a Spring test context. */
	public void registerAsRepository(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", this.database::jdbcUrl);
		registry.add("spring.datasource.username", this.database::username);
		registry.add("spring.datasource.password", this.database::password);
	}

	public JdbcTemplate jdbc() {
		return this.jdbc;
	}

	public List<Integer> sink() {
		return this.jdbc.queryForList("SELECT item FROM test_sink ORDER BY item", Integer.class);
	}

	public int sinkCount() {
		return this.jdbc.queryForObject("SELECT count(*) FROM test_sink", Integer.class);
	}

	/**
	 * status, read_count, write_count of every execution of the test job for a run date,
	 * oldest first.
	 */
	public List<String> executions(String runDate) {
		return executions(CountingJobConfiguration.JOB_NAME, runDate);
	}

	/**
	 * status, read_count, write_count of every execution of a job for a run date, oldest
	 * first.
	 */
	public List<String> executions(String job, String runDate) {
		return this.jdbc.queryForList("""
				SELECT status || ' read=' || read_count || ' written=' || write_count || ' stale=' || stale
				FROM ferry_job_history WHERE job = ? AND parameters LIKE ? ORDER BY execution_id""", String.class, job,
				"%runDate=" + runDate + "%");
	}

	/** The statuses of an execution's steps, by step name. */
	public List<String> stepStatuses(long executionId) {
		return this.jdbc
			.queryForList("SELECT step_name || '=' || status FROM batch_step_execution WHERE job_execution_id = ?"
					+ " ORDER BY step_name", String.class, executionId);
	}

	/** The ids of the executions in the view ferry_restartable_executions. */
	public List<Long> restartableExecutions() {
		return this.jdbc.queryForList("SELECT execution_id FROM ferry_restartable_executions ORDER BY execution_id",
				Long.class);
	}

	public long lastExecutionId() {
		return this.jdbc.queryForObject("SELECT max(job_execution_id) FROM batch_job_execution", Long.class);
	}

}
