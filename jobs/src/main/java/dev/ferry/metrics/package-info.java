/**
 * Ferry's metrics: a run's Micrometer metrics pushed to a Prometheus pushgateway, grouped
 * by job.
 */
@NullMarked
package dev.ferry.metrics;

import org.jspecify.annotations.NullMarked;
