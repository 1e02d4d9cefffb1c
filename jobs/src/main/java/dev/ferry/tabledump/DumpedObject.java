package dev.ferry.tabledump;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import dev.ferry.common.transfer.Digests;
import dev.ferry.common.transfer.ResumableUpload;
import dev.ferry.common.transfer.StoredObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The object one table is dumped into: the part in the making ({@link GzipPart}), the
 * resumable upload it goes to, the table's checkpoint, and the SHA-256 of the object for
 * the manifest. Counts only what the store acknowledged.
 * <p>
 * Not thread-safe: one per table being dumped.
 */
final class DumpedObject {

	private static final Logger logger = LoggerFactory.getLogger(DumpedObject.class);

	private static final double MIB = 1024.0 * 1024.0;

	private final TableName table;

	private final GzipPart part;

	private final ResumableUpload upload;

	private DumpCheckpoint checkpoint = new DumpCheckpoint();

	/** SHA-256 of the object, while every part so far went through this instance. */
	private @Nullable MessageDigest digest;

	DumpedObject(TableName table, GzipPart part, StoredObject object) {
		this.table = table;
		this.part = part;
		this.upload = new ResumableUpload(DumpCheckpoint.NAME, object, "application/gzip");
	}

	void open(ExecutionContext context) {
		this.checkpoint = DumpCheckpoint.from(context);
		this.upload.open(context);
		this.digest = this.upload.begun() ? null : Digests.sha256();
	}

	void update(ExecutionContext context) {
		this.checkpoint.writeTo(context, this.upload.object().key());
		this.upload.update(context);
	}

	/** Starts over from the first row: the store's upload is gone, or cannot resume. */
	void restartFromFirstRow() {
		this.checkpoint.reset();
		this.digest = Digests.sha256();
	}

	ResumableUpload upload() {
		return this.upload;
	}

	DumpCheckpoint checkpoint() {
		return this.checkpoint;
	}

	GzipPart part() {
		return this.part;
	}

	/** Sends the finished part as the next part of the multipart upload. */
	void sendPart(long rows) {
		this.upload.sendPart(this.part.bytes());
		count(rows);
	}

	/** Writes the finished part as the whole object, with a single PUT. */
	void putWhole(long rows) {
		this.upload.putWhole(this.part.bytes());
		count(rows);
	}

	private void count(long rows) {
		this.checkpoint.rows += rows;
		this.checkpoint.csvBytes += this.part.csvBytes();
		if (this.digest != null) {
			this.part.bytes().digest(this.digest);
		}
	}

	/**
	 * Records the object as done: its SHA-256 (read back from the store when an earlier
	 * run sent some of its parts) and the seed's log lines.
	 */
	void finish() {
		this.checkpoint.sha256 = (this.digest != null) ? HexFormat.of().formatHex(this.digest.digest())
				: this.upload.object().sha256OfStored();
		logger.info("Table '{}': Dump uploaded to intermediate storage.", this.table);
		logger.info("Table '{}': {} rows, {} MiB of CSV, {} MiB compressed in {}", this.table, this.checkpoint.rows,
				mib(this.checkpoint.csvBytes), mib(this.upload.bytes()),
				(this.upload.partCount() == 0) ? "one object" : this.upload.partCount() + " parts");
	}

	private static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.1f", bytes / MIB);
	}

}
