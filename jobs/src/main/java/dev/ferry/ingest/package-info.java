/**
 * The ingest job: files from an SFTP server, a local directory or an S3 prefix, scanned
 * by ClamAV's clamd, uploaded to S3 when clean or quarantined with a report, one ledger
 * row per file version ({@code ferry_ingest_file}) as work queue and audit trail. Only
 * {@link dev.ferry.ingest.IngestConfiguration} is public; the rest is the job's own.
 */
@NullMarked
package dev.ferry.ingest;

import org.jspecify.annotations.NullMarked;
