/**
 * The table-dump job: PostgreSQL tables to gzip CSV objects in S3, resumable mid-table.
 * Only {@link dev.ferry.tabledump.TableDumpConfiguration} is public; the rest is the
 * job's own.
 */
@NullMarked
package dev.ferry.tabledump;

import org.jspecify.annotations.NullMarked;
