/**
 * Ferry's shared failure building blocks.
 */
@NullMarked
package dev.ferry.common.failure;

import org.jspecify.annotations.NullMarked;
