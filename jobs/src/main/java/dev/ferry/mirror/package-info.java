/**
 * The s3-mirror job: an S3 bucket and prefix mirrored to another S3 store (Ceph RGW in
 * production), resumable by key and, for large objects, by part. Only
 * {@link dev.ferry.mirror.S3MirrorConfiguration} is public; the rest is the job's own.
 */
@NullMarked
package dev.ferry.mirror;

import org.jspecify.annotations.NullMarked;
