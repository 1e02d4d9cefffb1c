package dev.ferry.common.progress;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.step.StepExecution;

/**
 * The items and bytes of each running step as Micrometer counters, pushed with Spring
 * Batch's own meters (whose item timers only chunk-oriented steps have; Ferry's mirror
 * and ingest steps are tasklets that count items themselves): {@value #ITEMS_READ},
 * {@value #ITEMS_WRITTEN} (the step execution's read and write counts, as committed) and
 * {@value #BYTES} (what its progress line counts), tagged with the job and step names as
 * Spring Batch tags its meters. In Prometheus: {@code ferry_step_items_read_total},
 * {@code ferry_step_items_written_total}, {@code ferry_step_bytes_total}.
 * <p>
 * A partitioned step's manager is dropped when its first partition starts: its counts are
 * the sum of its partitions', which have counters of their own, and a sum over the steps
 * must count each item once.
 * <p>
 * Thread-safe. Keeps each step's execution and progress (FunctionCounter only holds them
 * weakly) for as long as the process lives: one job per process.
 */
final class StepMeters {

	static final String ITEMS_READ = "ferry.step.items.read";

	static final String ITEMS_WRITTEN = "ferry.step.items.written";

	static final String BYTES = "ferry.step.bytes";

	static final String JOB_TAG = "spring.batch.job.name";

	static final String STEP_TAG = "spring.batch.step.name";

	private final @Nullable MeterRegistry registry;

	private final Map<Long, Registered> registered = new ConcurrentHashMap<>();

	/**
	 * @param registry where to register, or null for no meters
	 */
	StepMeters(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	void register(StepExecution step, StepProgress progress) {
		if (this.registry == null) {
			return;
		}
		String job = step.getJobExecution().getJobInstance().getJobName();
		String name = step.getStepName();
		List<Meter> meters = List.of(
				FunctionCounter.builder(ITEMS_READ, step, StepExecution::getReadCount)
					.description("Items a step read, as committed")
					.tags(JOB_TAG, job, STEP_TAG, name)
					.register(this.registry),
				FunctionCounter.builder(ITEMS_WRITTEN, step, StepExecution::getWriteCount)
					.description("Items a step wrote, as committed")
					.tags(JOB_TAG, job, STEP_TAG, name)
					.register(this.registry),
				FunctionCounter.builder(BYTES, progress, StepProgress::bytes)
					.description("Bytes a step moved, as its progress line counts them")
					.baseUnit("bytes")
					.tags(JOB_TAG, job, STEP_TAG, name)
					.register(this.registry));
		this.registered.put(step.getId(), new Registered(step, progress, meters));
	}

	/** Drops a step's counters (a partition manager's, whose partitions count). */
	void remove(StepExecution step) {
		Registered gone = this.registered.remove(step.getId());
		if (gone != null && this.registry != null) {
			gone.meters().forEach(this.registry::remove);
		}
	}

	/**
	 * @param step held for its counter
	 * @param progress held for its counter
	 * @param meters the counters
	 */
	private record Registered(StepExecution step, StepProgress progress, List<Meter> meters) {
	}

}
