/**
 * The s3-mirror family: the s3Mirror job, an S3 bucket and prefix mirrored to another S3
 * store (Ceph RGW in production), resumable by key and, for large objects, by part; and
 * s3Egress, seed 001's routed egress, which sends the folder of each new
 * {@code pipeline_success.flag} to the destinations of its routes with the same copies.
 * Only {@link dev.ferry.mirror.S3MirrorConfiguration} and
 * {@link dev.ferry.mirror.S3EgressConfiguration} are public; the rest is the jobs' own.
 */
@NullMarked
package dev.ferry.mirror;

import org.jspecify.annotations.NullMarked;
