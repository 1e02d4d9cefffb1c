package dev.ferry.common.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.util.Assert;

/**
 * Makes sure one job instance runs in at most one process at a time, across pods, with a
 * PostgreSQL advisory lock in the job repository's database (see {@link RunLockKey}).
 * <p>
 * Thread-safe: it holds no state but its {@link DataSource}.
 */
public class RunGuard {

	/**
	 * How long a statement on a lock's connection may wait for the database. A liveness
	 * check that waits longer counts the session as lost.
	 */
	static final int LOCK_NETWORK_TIMEOUT_MILLIS = 30_000;

	private final DataSource dataSource;

	public RunGuard(DataSource dataSource) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		this.dataSource = dataSource;
	}

	/**
	 * Takes the run lock of a job instance if nobody holds it.
	 * @param jobName the job name
	 * @param jobKey Spring Batch's key of the identifying parameters
	 * @return the held lock, or empty when another session holds it
	 */
	public Optional<RunLock> tryAcquire(String jobName, String jobKey) {
		long key = RunLockKey.of(jobName, jobKey);
		Connection connection = null;
		try {
			connection = this.dataSource.getConnection();
			connection.setAutoCommit(true);
			// PostgreSQL's driver applies it as the socket's read timeout; the executor
			// is unused
			connection.setNetworkTimeout(Runnable::run, LOCK_NETWORK_TIMEOUT_MILLIS);
			try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
				statement.setLong(1, key);
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					if (rs.getBoolean(1)) {
						return Optional.of(new RunLock(connection, key, "job '" + jobName + "' (key " + jobKey + ")"));
					}
				}
			}
			connection.close();
			return Optional.empty();
		}
		catch (SQLException ex) {
			closeQuietly(connection, ex);
			throw new DataAccessResourceFailureException(
					"Could not take the run lock of job '" + jobName + "' in the job repository database", ex);
		}
	}

	/**
	 * Whether some process holds the run lock of a job instance right now.
	 */
	public boolean isHeld(String jobName, String jobKey) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT ferry_run_lock_held(?)")) {
			statement.setLong(1, RunLockKey.of(jobName, jobKey));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException(
					"Could not read the run locks of job '" + jobName + "' from the job repository database", ex);
		}
	}

	private static void closeQuietly(Connection connection, SQLException cause) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				cause.addSuppressed(ex);
			}
		}
	}

}
