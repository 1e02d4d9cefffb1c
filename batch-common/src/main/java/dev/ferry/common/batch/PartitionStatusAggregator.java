package dev.ferry.common.batch;

import java.util.Collection;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.StepExecutionAggregator;
import org.springframework.batch.core.step.StepExecution;

/**
 * Gives a partitioned step the status and exit status of its partitions, but not their
 * counts. Spring Batch's default aggregator also sums the partitions' read and write
 * counts into the manager step; Ferry's history views add up the counts of every step of
 * an execution, so each row would then be counted twice. The partitions' own step
 * executions keep their counts.
 */
public class PartitionStatusAggregator implements StepExecutionAggregator {

	@Override
	public void aggregate(StepExecution result, Collection<StepExecution> executions) {
		for (StepExecution execution : executions) {
			result.setStatus(BatchStatus.max(result.getStatus(), execution.getStatus()));
			result.setExitStatus(result.getExitStatus().and(execution.getExitStatus()));
		}
	}

}
