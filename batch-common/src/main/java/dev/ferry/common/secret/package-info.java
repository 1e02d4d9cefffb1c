/**
 * Keeping secrets out of what Ferry prints.
 */
@NullMarked
package dev.ferry.common.secret;

import org.jspecify.annotations.NullMarked;
