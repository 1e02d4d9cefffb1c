/**
 * Resumable writes to S3 that every job shares: a multipart upload whose progress lives
 * in a step's ExecutionContext, and the single-request writes beside it, each checked
 * against what the store answered.
 */
@NullMarked
package dev.ferry.common.transfer;

import org.jspecify.annotations.NullMarked;
