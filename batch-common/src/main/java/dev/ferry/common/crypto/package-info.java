/**
 * The process's cryptographic providers: native hashing, MACs and AES-GCM for every job.
 */
@NullMarked
package dev.ferry.common.crypto;

import org.jspecify.annotations.NullMarked;
