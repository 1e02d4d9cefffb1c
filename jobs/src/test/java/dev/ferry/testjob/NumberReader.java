package dev.ferry.testjob;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads 1, 2, ... up to a maximum. Restart state: the item count, saved by the base class
 * under {@code numberReader.read.count}, so a restart continues after the last committed
 * chunk.
 * <p>
 * Not thread-safe, as a step-scoped reader of a single-threaded step need not be.
 */
class NumberReader extends AbstractItemCountingItemStreamItemReader<Integer> {

	NumberReader(int items) {
		setName("numberReader");
		setMaxItemCount(items);
	}

	@Override
	protected Integer doRead() {
		return getCurrentItemCount();
	}

	@Override
	protected void doOpen() {
	}

	@Override
	protected void doClose() {
	}

}
