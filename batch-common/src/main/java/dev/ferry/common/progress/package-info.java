/**
 * Ferry's shared progress building blocks.
 */
@NullMarked
package dev.ferry.common.progress;

import org.jspecify.annotations.NullMarked;
