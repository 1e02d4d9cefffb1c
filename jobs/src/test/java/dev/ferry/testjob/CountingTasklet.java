package dev.ferry.testjob;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts the next {@value CountingJobConfiguration#CHUNK_SIZE} numbers into
 * {@code test_sink} per call, in the step's transaction. Restart state: {@value #NEXT},
 * the first number not yet committed, saved in the ExecutionContext with each chunk.
 * <p>
 * Not thread-safe: step-scoped.
 */
class CountingTasklet implements Tasklet, ItemStream {

	static final String NEXT = "countingTasklet.next";

	private final int items;

	private final JdbcTemplate jdbcTemplate;

	private final Duration itemDelay;

	private int next = 1;

	CountingTasklet(int items, DataSource dataSource, Duration itemDelay) {
		this.items = items;
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.itemDelay = itemDelay;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.next = executionContext.getInt(NEXT, 1);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		int last = Math.min(this.next + CountingJobConfiguration.CHUNK_SIZE - 1, this.items);
		for (int item = this.next; item <= last; item++) {
			if (!this.itemDelay.isZero()) {
				Thread.sleep(this.itemDelay);
			}
			this.jdbcTemplate.update("INSERT INTO test_sink (item) VALUES (?)", item);
		}
		// counted once the whole chunk is written: a failed chunk counts nothing
		for (int item = this.next; item <= last; item++) {
			contribution.incrementReadCount();
		}
		contribution.incrementWriteCount(Math.max(0, last - this.next + 1));
		this.next = last + 1;
		return (this.next > this.items) ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		executionContext.putInt(NEXT, this.next);
	}

}
