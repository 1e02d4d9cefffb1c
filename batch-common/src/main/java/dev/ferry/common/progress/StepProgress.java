package dev.ferry.common.progress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running step reports beyond Spring Batch's item counts: bytes moved, and the
 * total items or bytes when the step knows them (so the progress line can give an ETA).
 * Readers and writers get theirs from {@link ProgressReporter#progressOf}. Nothing here
 * is saved in the ExecutionContext: it describes the current execution only.
 * <p>
 * Thread-safe: partitions and concurrent transfers update it from several threads.
 */
public final class StepProgress {

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong totalBytes = new AtomicLong(-1);

	private final AtomicLong totalItems = new AtomicLong(-1);

	private volatile String itemName = "items";

	private volatile int partitions = -1;

	public void addBytes(long count) {
		this.bytes.addAndGet(count);
	}

	public void setTotalBytes(long total) {
		this.totalBytes.set(total);
	}

	public void setTotalItems(long total) {
		this.totalItems.set(total);
	}

	/** What the step's items are, for the progress line: "rows", "files"... */
	public void setItemName(String itemName) {
		this.itemName = itemName;
	}

	public String itemName() {
		return this.itemName;
	}

	/**
	 * For a partitioned step: how many partitions it has (tables, key ranges), so that
	 * its progress line can say how many are done of how many.
	 */
	public void setPartitions(int partitions) {
		this.partitions = partitions;
	}

	/** The partitions of a partitioned step, or -1 when unknown. */
	public int partitions() {
		return this.partitions;
	}

	public long bytes() {
		return this.bytes.get();
	}

	/** The total bytes, or -1 when unknown. */
	public long totalBytes() {
		return this.totalBytes.get();
	}

	/** The total items, or -1 when unknown. */
	public long totalItems() {
		return this.totalItems.get();
	}

}
