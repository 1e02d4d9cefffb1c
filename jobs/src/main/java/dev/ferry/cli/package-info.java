/**
 * The {@code ferry} command line.
 */
@NullMarked
package dev.ferry.cli;

import org.jspecify.annotations.NullMarked;
