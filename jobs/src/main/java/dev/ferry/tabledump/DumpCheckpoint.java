package dev.ferry.tabledump;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How far the dump of one table got, as its step's ExecutionContext keeps it. It only
 * ever describes parts the store has acknowledged, so a restart continues the same
 * multipart upload from the next part:
 * <ul>
 * <li>{@code tableDump.uploadId}: the multipart upload, saved before its first part is
 * sent, so that no upload is ever unknown to the repository;</li>
 * <li>{@code tableDump.parts}: the acknowledged parts, one {@code "<number> <ETag>"} line
 * each;</li>
 * <li>{@code tableDump.lastKey}: the primary key values of the last row in those parts,
 * as PostgreSQL's text output;</li>
 * <li>{@code tableDump.rows}, {@code tableDump.csvBytes}, {@code tableDump.bytes}: rows,
 * uncompressed and compressed bytes in those parts;</li>
 * <li>{@code tableDump.allPartsUploaded}: every part is acknowledged and the upload only
 * needs completing;</li>
 * <li>when the table is done: {@code tableDump.key} and {@code tableDump.sha256} of the
 * object, which the manifest lists.</li>
 * </ul>
 * No secret and no row data other than the last key is ever kept here.
 */
final class DumpCheckpoint {

	static final String UPLOAD_ID = "tableDump.uploadId";

	static final String PARTS = "tableDump.parts";

	static final String LAST_KEY = "tableDump.lastKey";

	static final String ROWS = "tableDump.rows";

	static final String CSV_BYTES = "tableDump.csvBytes";

	static final String BYTES = "tableDump.bytes";

	static final String ALL_PARTS_UPLOADED = "tableDump.allPartsUploaded";

	static final String KEY = "tableDump.key";

	static final String SHA256 = "tableDump.sha256";

	@Nullable String uploadId;

	final List<CompletedPart> parts = new ArrayList<>();

	@Nullable List<String> lastKey;

	long rows;

	long csvBytes;

	long bytes;

	boolean allPartsUploaded;

	@Nullable String sha256;

	static DumpCheckpoint from(ExecutionContext context) {
		DumpCheckpoint checkpoint = new DumpCheckpoint();
		checkpoint.uploadId = context.containsKey(UPLOAD_ID) ? context.getString(UPLOAD_ID) : null;
		if (context.containsKey(PARTS)) {
			for (String line : context.getString(PARTS).split("\n")) {
				if (!line.isEmpty()) {
					int space = line.indexOf(' ');
					checkpoint.parts.add(CompletedPart.builder()
						.partNumber(Integer.parseInt(line.substring(0, space)))
						.eTag(line.substring(space + 1))
						.build());
				}
			}
		}
		if (context.containsKey(LAST_KEY)) {
			@SuppressWarnings("unchecked")
			List<String> key = (List<String>) context.get(LAST_KEY);
			checkpoint.lastKey = key;
		}
		checkpoint.rows = context.getLong(ROWS, 0);
		checkpoint.csvBytes = context.getLong(CSV_BYTES, 0);
		checkpoint.bytes = context.getLong(BYTES, 0);
		checkpoint.allPartsUploaded = context.containsKey(ALL_PARTS_UPLOADED)
				&& (Boolean) context.get(ALL_PARTS_UPLOADED);
		checkpoint.sha256 = context.containsKey(SHA256) ? context.getString(SHA256) : null;
		return checkpoint;
	}

	void writeTo(ExecutionContext context, String key) {
		putOrRemove(context, UPLOAD_ID, this.uploadId);
		StringBuilder parts = new StringBuilder();
		this.parts.forEach(part -> parts.append(part.partNumber()).append(' ').append(part.eTag()).append('\n'));
		context.putString(PARTS, parts.toString());
		putOrRemove(context, LAST_KEY, (this.lastKey != null) ? new ArrayList<>(this.lastKey) : null);
		context.putLong(ROWS, this.rows);
		context.putLong(CSV_BYTES, this.csvBytes);
		context.putLong(BYTES, this.bytes);
		context.put(ALL_PARTS_UPLOADED, this.allPartsUploaded);
		context.putString(KEY, key);
		putOrRemove(context, SHA256, this.sha256);
	}

	int nextPartNumber() {
		return this.parts.size() + 1;
	}

	/** Forgets everything: the table is dumped again from its first row. */
	void reset() {
		this.uploadId = null;
		this.parts.clear();
		this.lastKey = null;
		this.rows = 0;
		this.csvBytes = 0;
		this.bytes = 0;
		this.allPartsUploaded = false;
		this.sha256 = null;
	}

	private static void putOrRemove(ExecutionContext context, String key, @Nullable Object value) {
		if (value == null) {
			context.remove(key);
		}
		else {
			context.put(key, value);
		}
	}

}
