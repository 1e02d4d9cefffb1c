package dev.ferry.ingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.ferry.common.batch.JobShare;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ingest ledger, {@code ferry_ingest_file} in the job repository database: the work
 * queue and audit trail of every file. Its writes join the transaction of the caller (one
 * per transition of a file, see {@link IngestFilesTasklet}), so a transition commits on
 * its own, and a killed run leaves each row in its last committed state. {@link #next}
 * and {@link #again} lock the row they return until that transaction ends
 * ({@code FOR UPDATE SKIP LOCKED}), so two runs of one source, or two workers of one run,
 * never work on one file at once.
 * <p>
 * A pod of an Indexed Job ({@code part}/{@code parts}) works on a ledger {@link #within}
 * its share: it records and takes only the files whose path is in the share
 * ({@link JobShare#includes}, the same hash in SQL), so the pods share the queue without
 * overlap, and a rerun of one index takes up exactly the rows its killed pod left.
 * <p>
 * Thread-safe: stateless over a thread-safe JdbcTemplate.
 */
final class Ledger {

	private static final String COLUMNS = "id, source, directory, path, size, mtime, sha256, state, verdict,"
			+ " signature, scanner_version, destination, notified_at";

	/** The rows with work left; parameters: withPostAction, notify, holdUnscannable. */
	private static final String WORK_LEFT = """
			state IN ('listed', 'downloaded', 'scanned', 'uploaded', 'quarantined')
				AND (? OR state NOT IN ('uploaded', 'quarantined')
					OR (? AND state = 'quarantined' AND notified_at IS NULL))
				AND NOT (state IN ('uploaded', 'quarantined') AND error IS NOT NULL)
				AND NOT (? AND state = 'scanned' AND verdict = 'unscannable')""";

	private final JdbcTemplate jdbc;

	private final JobShare share;

	Ledger(JdbcTemplate jdbc) {
		this(jdbc, JobShare.ALL);
	}

	private Ledger(JdbcTemplate jdbc, JobShare share) {
		this.jdbc = jdbc;
		this.share = share;
	}

	/** This ledger, restricted to the files of a share. */
	Ledger within(JobShare share) {
		return new Ledger(this.jdbc, share);
	}

	/** Whether a listed file (its path) is one this ledger's share records and takes. */
	boolean takes(String path) {
		return this.share.includes(path);
	}

	/**
	 * Records a listed file, unless the ledger has this version already.
	 * @param rejection why the file is refused, or null
	 * @return whether the row is new
	 */
	boolean insert(String source, ListedFile file, @Nullable String rejection, long executionId) {
		FileState state = (rejection != null) ? FileState.REJECTED : FileState.LISTED;
		String path = (rejection != null) ? IngestLog.escape(file.path()) : file.path();
		return this.jdbc.update("""
				INSERT INTO ferry_ingest_file (source, directory, path, size, mtime, state, error, job_execution_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT ON CONSTRAINT ferry_ingest_file_version DO NOTHING""", source, file.directory(), path,
				file.size(), OffsetDateTime.ofInstant(file.mtime(), ZoneOffset.UTC), state.column(), rejection,
				executionId) == 1;
	}

	/** Whether the ledger has this version of a file (source, path, size, mtime). */
	boolean has(String source, ListedFile file) {
		Boolean has = this.jdbc.queryForObject(
				"""
						SELECT EXISTS (SELECT 1 FROM ferry_ingest_file WHERE source = ? AND path = ? AND size = ? AND mtime = ?)""",
				Boolean.class, source, file.path(), file.size(),
				OffsetDateTime.ofInstant(file.mtime(), ZoneOffset.UTC));
		return Boolean.TRUE.equals(has);
	}

	/**
	 * The source's oldest row that has work left, locked until the calling transaction
	 * ends; rows locked by another transaction are skipped, and so are the rows this
	 * process has in flight between two of their transitions.
	 * @param withPostAction whether uploaded and quarantined rows have work left (a
	 * post-action other than keep)
	 * @param holdUnscannable whether unscannable files wait (policy pending)
	 * @param notify whether quarantined rows not yet notified have work left (a webhook
	 * is configured)
	 * @param inFlight ids of rows to skip
	 */
	Optional<LedgerRow> next(String source, boolean withPostAction, boolean holdUnscannable, boolean notify,
			Collection<Long> inFlight) {
		String skip = inFlight.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
		List<LedgerRow> rows = this.jdbc.query(
				"SELECT " + COLUMNS + " FROM ferry_ingest_file WHERE source = ? AND " + WORK_LEFT
						+ " AND id <> ALL (?::bigint[]) AND " + this.share.sqlCondition("path")
						+ " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
				Ledger::row, source, withPostAction, notify, holdUnscannable, skip);
		return rows.stream().findFirst();
	}

	/**
	 * One row again, for its next transition, locked until the calling transaction ends:
	 * empty when it has no work left (the same conditions as {@link #next}) or another
	 * transaction holds it.
	 */
	Optional<LedgerRow> again(long id, boolean withPostAction, boolean holdUnscannable, boolean notify) {
		List<LedgerRow> rows = this.jdbc.query("SELECT " + COLUMNS + " FROM ferry_ingest_file WHERE id = ? AND "
				+ WORK_LEFT + " FOR UPDATE SKIP LOCKED", Ledger::row, id, withPostAction, notify, holdUnscannable);
		return rows.stream().findFirst();
	}

	/**
	 * How many of a source's files (of the share) wait as unscannable (policy pending).
	 */
	long pendingUnscannable(String source) {
		Long count = this.jdbc.queryForObject("""
				SELECT count(*) FROM ferry_ingest_file
				WHERE source = ? AND state = 'scanned' AND verdict = 'unscannable' AND\s"""
				+ this.share.sqlCondition("path"), Long.class, source);
		return (count != null) ? count : 0;
	}

	void downloaded(long id, String sha256, long executionId) {
		update(id, "state = 'downloaded', sha256 = ?", executionId, sha256);
	}

	void scanned(long id, String verdict, @Nullable String signature, String scannerVersion, long executionId) {
		update(id, "state = 'scanned', verdict = ?, signature = ?, scanner_version = ?, scanned_at = now()",
				executionId, verdict, signature, scannerVersion);
	}

	void stored(long id, FileState state, String destination, long executionId) {
		update(id, "state = ?, destination = ?, stored_at = now()", executionId, state.column(), destination);
	}

	/** The webhook took the notification of a quarantined file. */
	void notified(long id, long executionId) {
		update(id, "notified_at = now()", executionId);
	}

	void cleaned(long id, long executionId) {
		update(id, "state = 'source_cleaned', cleaned_at = now()", executionId);
	}

	void failed(long id, String error, long executionId) {
		update(id, "state = 'failed', error = ?", executionId, error);
	}

	/** A note on a row that keeps its state (a post-action that was not done). */
	void note(long id, String error, long executionId) {
		update(id, "error = ?", executionId, error);
	}

	private void update(long id, String set, long executionId, @Nullable Object... values) {
		Object[] arguments = new Object[values.length + 2];
		System.arraycopy(values, 0, arguments, 0, values.length);
		arguments[values.length] = executionId;
		arguments[values.length + 1] = id;
		int updated = this.jdbc.update("UPDATE ferry_ingest_file SET " + set + ", job_execution_id = ? WHERE id = ?",
				arguments);
		if (updated != 1) {
			throw new IllegalStateException("Ledger row " + id + " of ferry_ingest_file is gone; it must never be"
					+ " deleted while the ingest job runs");
		}
	}

	private static LedgerRow row(ResultSet rs, int rowNum) throws SQLException {
		return new LedgerRow(rs.getLong("id"), rs.getString("source"), rs.getString("directory"), rs.getString("path"),
				rs.getLong("size"), rs.getObject("mtime", OffsetDateTime.class).toInstant(), rs.getString("sha256"),
				FileState.of(rs.getString("state")), rs.getString("verdict"), rs.getString("signature"),
				rs.getString("scanner_version"), rs.getString("destination"), instant(rs, "notified_at"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

}
