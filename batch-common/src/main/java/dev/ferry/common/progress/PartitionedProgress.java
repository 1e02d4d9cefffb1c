package dev.ferry.common.progress;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.step.StepExecution;

/**
 * The progress of a partitioned step, summed over its partitions: a manager step moves no
 * items itself, so its own counts would read zero. While the partitions run in the same
 * job execution, the manager's line says how many are done of how many, and the rows,
 * bytes and rates of all of them, with an ETA once every partition has started and knows
 * its total.
 * <p>
 * Thread-safe: partitions end on their own threads.
 */
final class PartitionedProgress {

	/** Finished partitions per job execution: what they moved. */
	private final Map<Long, Finished> finished = new ConcurrentHashMap<>();

	/** A partition ended: its counts join those of its job execution's manager step. */
	void partitionEnded(StepExecution partition, StepProgress progress) {
		this.finished.merge(partition.getJobExecutionId(),
				new Finished(1, partition.getWriteCount(), progress.bytes(), progress.itemName()), Finished::plus);
	}

	/** The manager step ended: forget its partitions. */
	void managerEnded(StepExecution manager) {
		this.finished.remove(manager.getJobExecutionId());
	}

	/**
	 * The summary line of a manager step, or null when it has no partitions.
	 * @param manager the manager step
	 * @param declared the manager's own meter (its partition count, if declared)
	 * @param running the partitions running now: their steps and meters
	 * @param elapsed since the manager started
	 */
	String line(StepExecution manager, StepProgress declared, List<Partition> running, Duration elapsed) {
		Finished done = this.finished.get(manager.getJobExecutionId());
		if (done == null && running.isEmpty()) {
			return null;
		}
		int doneCount = (done != null) ? done.partitions() : 0;
		long written = (done != null) ? done.written() : 0;
		long bytes = (done != null) ? done.bytes() : 0;
		String items = (done != null) ? done.itemName() : running.getFirst().progress().itemName();
		long remaining = 0;
		boolean totalsKnown = true;
		for (Partition partition : running) {
			written += partition.step().getWriteCount();
			bytes += partition.progress().bytes();
			long total = partition.progress().totalItems();
			totalsKnown &= total >= 0;
			remaining += Math.max(0, total - partition.step().getWriteCount());
		}
		double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
		int partitions = declared.partitions();
		StringBuilder line = new StringBuilder();
		line.append(doneCount).append((partitions > 0) ? "/" + partitions : "").append(" partitions done");
		line.append(String.format(Locale.ROOT, ", %d running, %,d %s written, %.1f MiB, %,.0f %s/s, %.1f MiB/s",
				running.size(), written, items, bytes / ProgressReporter.MIB, written / seconds, items,
				bytes / ProgressReporter.MIB / seconds));
		boolean allStarted = partitions > 0 && doneCount + running.size() >= partitions;
		if (allStarted && totalsKnown && written > 0) {
			line.append(", ETA ")
				.append(ProgressReporter.hms(Duration.ofSeconds((long) (remaining * seconds / written))));
		}
		line.append(", elapsed ").append(ProgressReporter.hms(elapsed));
		return line.toString();
	}

	/**
	 * A running partition.
	 *
	 * @param step its step execution
	 * @param progress its meter
	 */
	record Partition(StepExecution step, StepProgress progress) {
	}

	private record Finished(int partitions, long written, long bytes, String itemName) {

		Finished plus(Finished other) {
			return new Finished(this.partitions + other.partitions, this.written + other.written,
					this.bytes + other.bytes, other.itemName);
		}

	}

}
