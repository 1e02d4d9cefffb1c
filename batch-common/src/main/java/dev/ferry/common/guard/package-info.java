/**
 * The run guard: one process per job instance, and certain detection of stale executions.
 */
@NullMarked
package dev.ferry.common.guard;

import org.jspecify.annotations.NullMarked;
