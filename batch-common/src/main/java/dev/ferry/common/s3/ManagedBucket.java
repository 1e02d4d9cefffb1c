package dev.ferry.common.s3;

import java.util.function.Supplier;

/**
 * A bucket a job writes to, whose rules (encryption at rest, expiry of objects) the
 * {@code bucket-check} and {@code bucket-setup} commands check and apply. Each job that
 * writes to a bucket contributes one as a bean, so that the commands know no job.
 *
 * @param job the job's name, e.g. {@code tableDump}
 * @param target the bucket, built on first use (the S3 client costs start-up time that
 * other commands should not pay)
 * @param expireDays the most days an object may live, from the job's configuration
 * @param expireDaysProperty where that is configured, for messages
 */
public record ManagedBucket(String job, Supplier<S3Target> target, int expireDays, String expireDaysProperty) {

}
