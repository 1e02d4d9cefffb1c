package dev.ferry.common.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held run lock: a session-level PostgreSQL advisory lock on a connection that is kept
 * open for as long as the job instance runs. Closing it releases the lock and the
 * connection. If the process dies, PostgreSQL ends the session and the lock goes with it,
 * which is what makes a STARTED execution without a lock holder certainly stale.
 * <p>
 * Not thread-safe: one launcher owns it.
 */
public final class RunLock implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunLock.class);

	private final Connection connection;

	private final long key;

	private final String description;

	private boolean keptUntilExit;

	RunLock(Connection connection, long key, String description) {
		this.connection = connection;
		this.key = key;
		this.description = description;
	}

	public long key() {
		return this.key;
	}

	/** The job instance the lock guards, for log lines. */
	public String description() {
		return this.description;
	}

	/**
	 * Whether the session that holds the lock is still alive. A lost connection means the
	 * lock is gone too, and another launcher may take the instance. Bounded by the
	 * connection's network timeout (see {@link RunGuard}): a database that does not
	 * answer counts as lost.
	 */
	public boolean isAlive() {
		try (PreparedStatement statement = this.connection.prepareStatement("SELECT 1");
				ResultSet rs = statement.executeQuery()) {
			return rs.next();
		}
		catch (SQLException ex) {
			logger.warn("Run lock of {} lost its database session: {}", this.description, ex.getMessage());
			return false;
		}
	}

	/**
	 * Keeps the lock until this process exits: {@link #close()} then leaves it held, and
	 * PostgreSQL releases it when the process's session ends. For a run that ended while
	 * some of its threads may still work (a worker hung after an Error): no other process
	 * may take the job instance while they could still write.
	 */
	public void keepUntilExit() {
		this.keptUntilExit = true;
	}

	@Override
	public void close() {
		if (this.keptUntilExit) {
			logger.info("Keeping the run lock of {} until this process exits", this.description);
			return;
		}
		try (this.connection;
				PreparedStatement unlock = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
			unlock.setLong(1, this.key);
			unlock.execute();
		}
		catch (SQLException ex) {
			// the session is gone, and PostgreSQL released the lock with it
			logger.warn("Could not release the run lock of {} ({}); it ends with its database session",
					this.description, ex.getMessage());
		}
	}

}
