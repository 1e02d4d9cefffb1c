package dev.ferry.common.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.ferry.common.fatal.WorkerErrors;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * Logs a progress line for every running step at a fixed interval: items read and
 * written, bytes, rates, and an ETA when the step knows its total; and, with a meter
 * registry, the same counts as counters ({@link StepMeters}). Registered on every step by
 * {@link dev.ferry.common.batch.FerryListenersPostProcessor}.
 * <p>
 * Thread-safe: steps of a partitioned job start and end on several threads; one daemon
 * thread writes the lines. An {@link Error} on that thread (an OutOfMemoryError while
 * formatting a line) is reported to {@link WorkerErrors}, which fails the run: a
 * scheduled task that throws is silently never run again, and the job would go on without
 * progress lines, in a JVM that is out of memory.
 */
public class ProgressReporter implements StepExecutionListener, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ProgressReporter.class);

	static final double MIB = 1024.0 * 1024.0;

	private final Duration interval;

	private final Clock clock;

	private final WorkerErrors workerErrors;

	private final StepMeters meters;

	private final Map<Long, Running> running = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "ferry-progress");
		thread.setDaemon(true);
		return thread;
	});

	private ScheduledFuture<?> task;

	private final PartitionedProgress partitioned = new PartitionedProgress();

	public ProgressReporter(Duration interval, WorkerErrors workerErrors) {
		this(interval, Clock.systemUTC(), workerErrors, null);
	}

	/**
	 * @param meterRegistry where each step's items and bytes are counted
	 */
	public ProgressReporter(Duration interval, WorkerErrors workerErrors, MeterRegistry meterRegistry) {
		this(interval, Clock.systemUTC(), workerErrors, meterRegistry);
	}

	ProgressReporter(Duration interval, Clock clock, WorkerErrors workerErrors) {
		this(interval, clock, workerErrors, null);
	}

	private ProgressReporter(Duration interval, Clock clock, WorkerErrors workerErrors,
			@Nullable MeterRegistry meterRegistry) {
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(),
				"'interval' must be a positive duration");
		Assert.notNull(workerErrors, "'workerErrors' must not be null");
		this.interval = interval;
		this.clock = clock;
		this.workerErrors = workerErrors;
		this.meters = new StepMeters(meterRegistry);
	}

	/**
	 * The progress meter of a running step, for its reader or writer to report bytes and
	 * totals. A step that is not running (or not registered) gets a meter that nobody
	 * reads.
	 */
	public StepProgress progressOf(StepExecution stepExecution) {
		Running entry = this.running.get(stepExecution.getId());
		return (entry != null) ? entry.progress : new StepProgress();
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		// steps of a job run one after the other, except the partitions of a partitioned
		// step, which start while it runs
		List<Running> others = this.running.values()
			.stream()
			.filter(other -> other.stepExecution.getJobExecutionId() == stepExecution.getJobExecutionId())
			.toList();
		boolean partition = !others.isEmpty();
		StepProgress progress = new StepProgress();
		this.running.put(stepExecution.getId(), new Running(stepExecution, progress, this.clock.instant(), partition));
		// a partition's manager counts what its partitions count
		others.stream().filter(other -> !other.partition).forEach(manager -> this.meters.remove(manager.stepExecution));
		this.meters.register(stepExecution, progress);
		synchronized (this) {
			if (this.task == null) {
				long millis = this.interval.toMillis();
				this.task = this.scheduler.scheduleAtFixedRate(this::logAll, millis, millis, TimeUnit.MILLISECONDS);
			}
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		Running entry = this.running.remove(stepExecution.getId());
		if (entry != null) {
			logger.info("Step '{}' {}: {}", stepExecution.getStepName(), stepExecution.getStatus(), line(entry));
			if (entry.partition) {
				this.partitioned.partitionEnded(stepExecution, entry.progress);
			}
			else {
				this.partitioned.managerEnded(stepExecution);
			}
		}
		return null;
	}

	void logAll() {
		for (Running entry : this.running.values()) {
			try {
				logger.info("Step '{}' progress: {}", entry.stepExecution.getStepName(), line(entry));
			}
			catch (RuntimeException ex) {
				// a progress line must never end the scheduler: log and carry on
				logger.warn("Could not write the progress line of step '{}'", entry.stepExecution.getStepName(), ex);
			}
			catch (Error error) {
				this.workerErrors.report(
						"the progress thread (writing the line of step '" + entry.stepExecution.getStepName() + "')",
						error);
			}
		}
	}

	String line(Running entry) {
		StepExecution step = entry.stepExecution;
		if (!entry.partition) {
			String summary = this.partitioned.line(step, entry.progress, partitionsOf(step),
					Duration.between(entry.started, this.clock.instant()));
			if (summary != null) {
				return summary;
			}
		}
		double seconds = Math.max(0.001, Duration.between(entry.started, this.clock.instant()).toMillis() / 1000.0);
		long read = step.getReadCount();
		long written = step.getWriteCount();
		long bytes = entry.progress.bytes();
		StringBuilder line = new StringBuilder();
		String items = entry.progress.itemName();
		line.append(String.format(Locale.ROOT, "%,d %s read, %,d written", read, items, written));
		line.append(String.format(Locale.ROOT, ", %.1f MiB", bytes / MIB));
		line.append(String.format(Locale.ROOT, ", %,.0f %s/s, %.1f MiB/s", written / seconds, items,
				bytes / MIB / seconds));
		String eta = eta(entry.progress, written, bytes, seconds);
		if (eta != null) {
			line.append(", ETA ").append(eta);
		}
		line.append(String.format(Locale.ROOT, ", elapsed %s", hms(Duration.ofMillis((long) (seconds * 1000)))));
		return line.toString();
	}

	private List<PartitionedProgress.Partition> partitionsOf(StepExecution manager) {
		return this.running.values()
			.stream()
			.filter(other -> other.partition && other.stepExecution.getJobExecutionId() == manager.getJobExecutionId())
			.map(other -> new PartitionedProgress.Partition(other.stepExecution, other.progress))
			.toList();
	}

	private static String eta(StepProgress progress, long written, long bytes, double seconds) {
		if (progress.totalBytes() > 0 && bytes > 0) {
			double remaining = (progress.totalBytes() - bytes) * seconds / bytes;
			return hms(Duration.ofSeconds((long) Math.max(0, remaining)));
		}
		if (progress.totalItems() > 0 && written > 0) {
			double remaining = (progress.totalItems() - written) * seconds / written;
			return hms(Duration.ofSeconds((long) Math.max(0, remaining)));
		}
		return null;
	}

	static String hms(Duration duration) {
		return String.format(Locale.ROOT, "%02d:%02d:%02d", duration.toHours(), duration.toMinutesPart(),
				duration.toSecondsPart());
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

	/**
	 * A running step.
	 *
	 * @param stepExecution the step
	 * @param progress its meter
	 * @param started when it started
	 * @param partition whether it is a partition of a partitioned step that runs beside
	 * it
	 */
	record Running(StepExecution stepExecution, StepProgress progress, Instant started, boolean partition) {
	}

}
