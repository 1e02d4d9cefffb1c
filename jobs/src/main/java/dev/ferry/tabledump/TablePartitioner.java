package dev.ferry.tabledump;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per table, named after the table so that the step executions read
 * {@code dumpTable:public.orders} and a restart finds each table's own checkpoint. The
 * partition's ExecutionContext holds {@code table}: the name as the user wrote it.
 */
class TablePartitioner implements Partitioner, PartitionNameProvider {

	static final String TABLE = "table";

	/**
	 * Spring Batch's STEP_NAME holds 100 characters, and the worker step's name comes
	 * first.
	 */
	private static final int MAX_PARTITION_NAME = 80;

	private final List<TableName> tables;

	TablePartitioner(List<TableName> tables) {
		this.tables = tables;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (TableName table : this.tables) {
			ExecutionContext context = new ExecutionContext();
			context.putString(TABLE, table.display());
			partitions.put(partitionName(table), context);
		}
		return partitions;
	}

	@Override
	public Collection<String> getPartitionNames(int gridSize) {
		return this.tables.stream().map(TablePartitioner::partitionName).toList();
	}

	/** The name of a table's step execution: the worker step's, then the partition's. */
	static String stepName(TableName table) {
		return TableDumpConfiguration.WORKER_STEP + ":" + partitionName(table);
	}

	static String partitionName(TableName table) {
		String name = table.objectName();
		if (name.length() <= MAX_PARTITION_NAME) {
			return name;
		}
		String hash = Integer.toHexString(name.hashCode());
		return name.substring(0, Math.min(name.length(), 40)) + "~" + hash;
	}

}
