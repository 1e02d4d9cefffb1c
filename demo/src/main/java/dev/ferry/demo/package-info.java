/**
 * The Ferry demo: embedded servers with persistent state, sample data, every job run
 * once. Never part of the production jar.
 */
@NullMarked
package dev.ferry.demo;

import org.jspecify.annotations.NullMarked;
