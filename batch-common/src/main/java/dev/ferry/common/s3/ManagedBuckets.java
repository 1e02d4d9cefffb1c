package dev.ferry.common.s3;

import java.util.List;

/**
 * Buckets a job writes to that only its data names, not its configuration: the S3
 * destinations of routed egress are rows of a table, which change without a restart.
 * {@code bucket-check} and {@code bucket-setup} ask each such bean for its buckets when
 * they run and treat them as they treat every {@link ManagedBucket} bean: one mechanism,
 * whether a job's buckets come from its settings or from its table.
 */
@FunctionalInterface
public interface ManagedBuckets {

	/** The buckets, read now; each builds nothing until a command asks for it. */
	List<ManagedBucket> buckets();

}
