/**
 * Ferry's run support.
 */
@NullMarked
package dev.ferry.run;

import org.jspecify.annotations.NullMarked;
