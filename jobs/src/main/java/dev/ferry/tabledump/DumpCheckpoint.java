package dev.ferry.tabledump;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.transfer.ResumableUpload;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How far the dump of one table got, beside what its {@link ResumableUpload} keeps (under
 * the same prefix: {@code tableDump.uploadId}, {@code tableDump.parts},
 * {@code tableDump.bytes}, {@code tableDump.allPartsUploaded}). Like the upload's, it
 * only ever describes rows in parts the store has acknowledged:
 * <ul>
 * <li>{@code tableDump.lastKey}: the primary key values of the last row in those parts,
 * as PostgreSQL's text output;</li>
 * <li>{@code tableDump.rows}, {@code tableDump.csvBytes}: rows and uncompressed bytes in
 * those parts;</li>
 * <li>when the table is done: {@code tableDump.key} and {@code tableDump.sha256} of the
 * object, which the manifest lists.</li>
 * </ul>
 * No secret and no row data other than the last key is ever kept here.
 */
final class DumpCheckpoint {

	/** The prefix of every key, the upload's included. */
	static final String NAME = "tableDump";

	static final String LAST_KEY = key("lastKey");

	static final String ROWS = key("rows");

	static final String CSV_BYTES = key("csvBytes");

	static final String KEY = key("key");

	static final String SHA256 = key("sha256");

	/** Kept by the upload: the object's compressed size. */
	static final String BYTES = key(ResumableUpload.BYTES);

	@Nullable List<String> lastKey;

	long rows;

	long csvBytes;

	@Nullable String sha256;

	/** An ExecutionContext key of the table's step: the owner's name, a dot, the name. */
	private static String key(String name) {
		return NAME + "." + name;
	}

	static DumpCheckpoint from(ExecutionContext context) {
		DumpCheckpoint checkpoint = new DumpCheckpoint();
		if (context.containsKey(LAST_KEY)) {
			@SuppressWarnings("unchecked")
			List<String> key = (List<String>) context.get(LAST_KEY);
			checkpoint.lastKey = key;
		}
		checkpoint.rows = context.getLong(ROWS, 0);
		checkpoint.csvBytes = context.getLong(CSV_BYTES, 0);
		checkpoint.sha256 = context.containsKey(SHA256) ? context.getString(SHA256) : null;
		return checkpoint;
	}

	void writeTo(ExecutionContext context, String objectKey) {
		if (this.lastKey != null) {
			context.put(LAST_KEY, new ArrayList<>(this.lastKey));
		}
		else {
			context.remove(LAST_KEY);
		}
		context.putLong(ROWS, this.rows);
		context.putLong(CSV_BYTES, this.csvBytes);
		context.putString(KEY, objectKey);
		if (this.sha256 != null) {
			context.putString(SHA256, this.sha256);
		}
		else {
			context.remove(SHA256);
		}
	}

	/** Forgets everything: the table is dumped again from its first row. */
	void reset() {
		this.lastKey = null;
		this.rows = 0;
		this.csvBytes = 0;
		this.sha256 = null;
	}

}
