-- The ingest job's notification webhook (ferry.ingest.sources.<name>.notify.webhook-url): when the
-- notification of a file quarantined as infected or unscannable was delivered (a 2xx answer), or
-- null. A quarantined row of a source with a webhook whose notified_at is null is still owed its
-- notification: the next run or restart sends it (at least once; the payload carries the row's id,
-- ledgerId, so that a receiver can drop a repeat). The source's post-action waits for it.
ALTER TABLE ferry_ingest_file ADD COLUMN notified_at TIMESTAMPTZ;
