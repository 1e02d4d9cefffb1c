/**
 * A client for ClamAV's scanner daemon (clamd) over TCP, and the fail-closed check a job
 * runs before it trusts one: only an explicit clean answer lets a file through.
 */
@NullMarked
package dev.ferry.common.scan;

import org.jspecify.annotations.NullMarked;
