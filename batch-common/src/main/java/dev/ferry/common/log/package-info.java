/**
 * What Ferry writes into log lines about the data it moves.
 */
@NullMarked
package dev.ferry.common.log;

import org.jspecify.annotations.NullMarked;
