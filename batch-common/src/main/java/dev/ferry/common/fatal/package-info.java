/**
 * Errors in worker threads (an {@link java.lang.OutOfMemoryError} in a partition, a
 * compressor or the progress thread): seen, described for the operator, and reported to
 * whoever runs the job, so that the run fails instead of hanging.
 */
@NullMarked
package dev.ferry.common.fatal;

import org.jspecify.annotations.NullMarked;
