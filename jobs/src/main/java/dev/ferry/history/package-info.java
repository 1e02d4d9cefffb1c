/**
 * Ferry's history support.
 */
@NullMarked
package dev.ferry.history;

import org.jspecify.annotations.NullMarked;
