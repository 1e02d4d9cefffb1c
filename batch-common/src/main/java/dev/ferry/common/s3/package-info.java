/**
 * Ferry's shared s3 building blocks.
 */
@NullMarked
package dev.ferry.common.s3;

import org.jspecify.annotations.NullMarked;
