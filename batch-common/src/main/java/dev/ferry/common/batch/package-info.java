/**
 * Ferry's shared batch building blocks.
 */
@NullMarked
package dev.ferry.common.batch;

import org.jspecify.annotations.NullMarked;
