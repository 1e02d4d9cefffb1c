package dev.ferry.ingest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.transfer.ObjectHeaders;
import dev.ferry.common.transfer.PartBytes;
import dev.ferry.common.transfer.StoredObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Uploads a clean file to its key (prefix + path relative to the source directory), then
 * its empty {@code <key>.done} marker. Each object carries the file's SHA-256, source,
 * path (percent-encoded: S3 metadata is ASCII), verdict, the scanner's version and the
 * ledger id. Before each PUT a HEAD looks for the object an earlier attempt of the same
 * ledger row may have written before it was killed (the ledger commits after the PUT), so
 * a rerun does not upload a file twice.
 * <p>
 * Thread-safe: stateless over a thread-safe client.
 */
final class Delivery {

	static final String LEDGER_ID = "ferry-ledger-id";

	static final String SHA256 = "ferry-sha256";

	private final S3Target target;

	private final boolean doneMarker;

	Delivery(S3Target target, boolean doneMarker) {
		this.target = target;
		this.doneMarker = doneMarker;
	}

	S3Target target() {
		return this.target;
	}

	String key(LedgerRow row) {
		return key(row.relative());
	}

	/** The key of a path relative to the source directory (an unpacked file's name). */
	String key(String relative) {
		return this.target.location().key(relative);
	}

	String markerKey(String relative) {
		return this.target.location().key(FileNames.pathWithSuffix(relative, FileNames.DONE));
	}

	/**
	 * Stores the file and its marker.
	 * @return whether the file itself was uploaded now (false: an earlier attempt of this
	 * ledger row had stored it)
	 */
	boolean deliver(LedgerRow row, StagedFile staged, String scannerVersion, String source) {
		return deliver(row, row.relative(), staged, scannerVersion, source);
	}

	/**
	 * Stores a file under another path than the row's (an unpacked {@code x.gz} as
	 * {@code x}), and its marker.
	 * @return whether the file itself was uploaded now
	 */
	boolean deliver(LedgerRow row, String relative, StagedFile staged, String scannerVersion, String source) {
		Map<String, String> metadata = Map.of(LEDGER_ID, Long.toString(row.id()), SHA256, staged.sha256(),
				"ferry-source", source, "ferry-source-path", URLEncoder.encode(row.path(), StandardCharsets.UTF_8),
				"ferry-verdict", "clean", "ferry-scanner", ascii(scannerVersion));
		StoredObject object = new StoredObject(this.target, key(relative), metadata,
				ObjectHeaders.of("application/octet-stream"));
		boolean uploaded = false;
		if (!storedBefore(object, row, staged.sha256())) {
			object.put(staged.content(), staged.size());
			uploaded = true;
		}
		if (this.doneMarker) {
			StoredObject marker = new StoredObject(this.target, markerKey(relative),
					Map.of(LEDGER_ID, Long.toString(row.id()), SHA256, staged.sha256()));
			if (!storedBefore(marker, row, staged.sha256())) {
				marker.put(PartBytes.of(new byte[0]), "application/octet-stream");
			}
		}
		return uploaded;
	}

	/**
	 * Whether an object was written by this ledger row with these bytes (an earlier
	 * attempt that was cut off before its ledger commit).
	 */
	static boolean storedBefore(StoredObject object, LedgerRow row, String sha256) {
		Optional<HeadObjectResponse> head = object.head();
		return head.isPresent() && Long.toString(row.id()).equals(head.get().metadata().get(LEDGER_ID))
				&& sha256.equals(head.get().metadata().get(SHA256));
	}

	private static String ascii(String text) {
		return text.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f) ? text
				: URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
