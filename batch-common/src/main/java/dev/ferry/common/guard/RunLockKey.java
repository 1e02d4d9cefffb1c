package dev.ferry.common.guard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The PostgreSQL advisory-lock key of one job instance: the first 64 bits of
 * {@code md5(jobName + '/' + jobKey)}, where {@code jobKey} is Spring Batch's JOB_KEY
 * (the md5 of the identifying parameters). The SQL function {@code ferry_run_lock_key} in
 * {@code db/migration/V2__ferry_history_views.sql} computes the same value, so the
 * history views can tell whether an execution marked running still has a live process.
 */
public final class RunLockKey {

	private RunLockKey() {
	}

	public static long of(String jobName, String jobKey) {
		try {
			byte[] digest = MessageDigest.getInstance("MD5")
				.digest((jobName + "/" + jobKey).getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("This JVM has no MD5 digest, which every Java SE runtime must have", ex);
		}
	}

}
