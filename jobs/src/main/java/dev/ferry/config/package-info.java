/**
 * Ferry's config support.
 */
@NullMarked
package dev.ferry.config;

import org.jspecify.annotations.NullMarked;
