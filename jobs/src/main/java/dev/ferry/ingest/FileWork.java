package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.scan.ClamdClient;
import dev.ferry.common.scan.ScanResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The work of one transition of a file's ledger row; {@link IngestFilesTasklet} runs each
 * in a transaction of its own that locks the row, so that each commits before the next
 * begins (above all: the source's post-action only ever follows a committed upload or
 * quarantine). Every method either records the transition in the ledger (in that
 * transaction) or throws, and the row stays as it was: a file waits, it is never lost.
 * <p>
 * Thread-safe: several files are worked at once, each by one thread; it keeps no state,
 * and what it works with is thread-safe.
 */
final class FileWork {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The tag of post-action {@code tag}: {@code ferry-ingest=uploaded|quarantined}. */
	static final String TAG = "ferry-ingest";

	private final IngestSource source;

	private final Ledger ledger;

	private final ClamdClient clamd;

	private final long maxScanSize;

	private final long executionId;

	private final StepProgress progress;

	private final Unpacking unpacking;

	FileWork(IngestSource source, Ledger ledger, ClamdClient clamd, long maxScanSize, long executionId,
			StepProgress progress) {
		this.source = source;
		this.ledger = ledger;
		this.clamd = clamd;
		this.maxScanSize = maxScanSize;
		this.executionId = executionId;
		this.progress = progress;
		this.unpacking = new Unpacking(source.settings().decompress(), source.settings().archive(), maxScanSize,
				source.staging(), clamd);
	}

	/**
	 * listed → downloaded (or failed): the file must still be the version listed, and
	 * exactly as many bytes must arrive as were listed.
	 * @return the failure recorded, or null when downloaded
	 */
	@Nullable String download(LedgerRow row) throws IOException {
		String changed = changedAtSource(row);
		if (changed != null) {
			this.ledger.failed(row.id(), changed, this.executionId);
			return changed;
		}
		StagedFile staged = fetch(row);
		if (staged.size() != row.size()) {
			this.source.staging().remove(row.id());
			String truncated = "the transfer was " + ((staged.size() < row.size()) ? "truncated" : "longer") + ": "
					+ staged.size() + " bytes received of the " + row.size() + " listed; not passed on";
			this.ledger.failed(row.id(), truncated, this.executionId);
			return truncated;
		}
		this.ledger.downloaded(row.id(), staged.sha256(), this.executionId);
		return null;
	}

	/**
	 * downloaded → scanned. Files over Ferry's scan-size limit are never sent. What the
	 * source unpacks ({@code decompress}) is scanned unpacked ({@link Unpacking}).
	 */
	ScanResult scan(LedgerRow row, String scannerVersion) throws IOException {
		StagedFile staged = staged(row);
		ScanResult result;
		if (staged.size() > this.maxScanSize) {
			result = ScanResult.unscannable("larger than Ferry's scan-size limit (" + staged.size() + " > "
					+ this.maxScanSize + " bytes, " + CheckIngestTasklet.MAX_SCAN_SIZE + ")");
		}
		else {
			ScanResult unpacked = this.unpacking.scan(row, staged);
			if (unpacked != null) {
				result = unpacked;
			}
			else {
				try (InputStream in = Files.newInputStream(staged.path(), LinkOption.NOFOLLOW_LINKS)) {
					result = this.clamd.scan(in);
				}
			}
		}
		String signature = (result.signature() != null) ? result.signature() : result.answer();
		this.ledger.scanned(row.id(), result.verdict().name().toLowerCase(Locale.ROOT), signature, scannerVersion,
				this.executionId);
		if (result.verdict() == ScanResult.Verdict.UNSCANNABLE
				&& this.source.settings().unscannable() == IngestProperties.Unscannable.PENDING) {
			this.source.staging().remove(row.id());
		}
		return result;
	}

	/**
	 * scanned → uploaded (clean) or quarantined (infected, unscannable).
	 * @return where the file went, and whether an upload happened now
	 */
	Stored store(LedgerRow row) throws IOException {
		StagedFile staged = staged(row);
		Stored stored;
		if ("clean".equals(row.verdict())) {
			Unpacking.Upload upload = this.unpacking.upload(row, staged);
			boolean uploaded = this.source.delivery()
				.deliver(row, upload.relative(), upload.file(), String.valueOf(row.scannerVersion()),
						this.source.name());
			String uri = this.source.delivery().target().uri(this.source.delivery().key(upload.relative()));
			this.ledger.stored(row.id(), FileState.UPLOADED, uri, this.executionId);
			stored = new Stored(FileState.UPLOADED, uri, uploaded, staged);
		}
		else {
			String destination = this.source.quarantine()
				.store(row, staged,
						quarantinedAs -> new QuarantineReport(this.source.name(), row.path(), row.size(),
								staged.sha256(), row.mtime(), String.valueOf(row.verdict()), row.signature(),
								row.scannerVersion(), Instant.now(), quarantinedAs, row.id(), this.executionId));
			this.ledger.stored(row.id(), FileState.QUARANTINED, destination, this.executionId);
			stored = new Stored(FileState.QUARANTINED, destination, true, staged);
		}
		this.source.staging().remove(row.id());
		return stored;
	}

	/**
	 * quarantined → notified ({@code notified_at}): the report beside the quarantined
	 * file (it must be the report of this row), POSTed to the source's webhook until it
	 * takes it. The delivery commits with the chunk; a notification whose commit was lost
	 * is sent again (at least once: the payload's {@code ledgerId} lets a receiver drop a
	 * repeat).
	 * @return the attempts it took
	 * @throws Webhook.WebhookException when it was not delivered: the step fails, the row
	 * waits
	 */
	int notify(LedgerRow row, Webhook webhook) throws IOException {
		if (row.destination() == null) {
			throw new IllegalStateException("Ledger row " + row.id() + " is quarantined without a destination");
		}
		byte[] report = this.source.quarantine().report(row.destination());
		JsonNode payload;
		try {
			payload = json.readTree(report);
		}
		catch (JacksonException ex) {
			throw new IOException("The report beside " + IngestLog.escape(row.destination()) + " is not JSON", ex);
		}
		JsonNode ledgerId = payload.path("ledgerId");
		if (!payload.isObject() || !ledgerId.isIntegralNumber() || ledgerId.longValue() != row.id()) {
			throw new IOException("The report beside " + IngestLog.escape(row.destination())
					+ " is not the report of ledger row " + row.id() + "; not sent");
		}
		int attempts = webhook.post(json.writeValueAsBytes(payload), "file " + row.describe());
		this.ledger.notified(row.id(), this.executionId);
		return attempts;
	}

	/**
	 * uploaded | quarantined → source_cleaned: the post-action, only on the version the
	 * ledger holds. A file changed since is left alone, with a note on its row.
	 * @return a note when nothing was done, or null
	 */
	@Nullable String cleanSource(LedgerRow row) throws IOException {
		IngestProperties.Source settings = this.source.settings();
		Optional<ListedFile> now = this.source.files().stat(row.directory(), row.relative());
		if (now.isPresent()) {
			ListedFile file = now.get();
			boolean changed = file.kind() != ListedFile.Kind.REGULAR || file.size() != row.size()
					|| !file.mtime().equals(row.mtime());
			if (changed && settings.tagsSource()
					&& row.state().column().equals(this.source.files().tagValue(row.path(), TAG))) {
				// tagged by an attempt killed before its commit, on a store whose tagging
				// changes LastModified (Ceph RGW): done
				this.ledger.cleaned(row.id(), this.executionId);
				return null;
			}
			if (changed) {
				String note = "not "
						+ (settings.moveDirectory() != null ? "moved" : settings.tagsSource() ? "tagged" : "deleted")
						+ " at the source: the file changed after it was ingested (the new version is a new"
						+ " ledger row)";
				this.ledger.note(row.id(), note, this.executionId);
				return note;
			}
			String moveTo = settings.moveDirectory();
			if (moveTo != null) {
				this.source.files().move(row.path(), moveTo, row.relative());
			}
			else if (settings.tagsSource()) {
				this.source.files().tag(row.path(), TAG, row.state().column());
			}
			else {
				this.source.files().delete(row.path());
			}
		}
		// gone: an earlier attempt did it before it was killed
		this.ledger.cleaned(row.id(), this.executionId);
		return null;
	}

	/** The staged file of a row, downloaded again if the staging directory lost it. */
	private StagedFile staged(LedgerRow row) throws IOException {
		Optional<StagedFile> staged = this.source.staging().find(row);
		if (staged.isPresent()) {
			return staged.get();
		}
		String changed = changedAtSource(row);
		StagedFile again = (changed != null) ? null : fetch(row);
		if (again == null || again.size() != row.size() || !again.sha256().equals(row.sha256())) {
			this.source.staging().remove(row.id());
			throw new ChangedSourceException(row, (changed != null) ? changed
					: "its bytes downloaded again differ from those downloaded first (sha256 " + row.sha256() + ")");
		}
		return again;
	}

	private StagedFile fetch(LedgerRow row) throws IOException {
		return this.source.staging().download(row, this.source.files().open(row.path()), this.progress);
	}

	/** Why the file at the source is no longer the version listed, or null. */
	private @Nullable String changedAtSource(LedgerRow row) throws IOException {
		Optional<ListedFile> now = this.source.files().stat(row.directory(), row.relative());
		if (now.isEmpty()) {
			return "it vanished from the source before it was downloaded";
		}
		ListedFile file = now.get();
		if (file.kind() != ListedFile.Kind.REGULAR) {
			return "it is no longer a regular file at the source (" + file.kind().name().toLowerCase(Locale.ROOT) + ")";
		}
		if (file.size() != row.size() || !file.mtime().equals(row.mtime())) {
			return "it changed at the source since it was listed (now " + file.size() + " bytes, modified "
					+ file.mtime() + "); the new version is taken by the next listing";
		}
		return null;
	}

	/**
	 * Where a file went.
	 *
	 * @param state uploaded or quarantined
	 * @param destination {@code s3://bucket/key} or the quarantine path
	 * @param now whether it was stored now (false: an earlier attempt had)
	 * @param staged the file as staged
	 */
	record Stored(FileState state, String destination, boolean now, StagedFile staged) {
	}

	/** A file that must be downloaded again is not the version the ledger holds. */
	static final class ChangedSourceException extends RuntimeException {

		private final transient LedgerRow row;

		ChangedSourceException(LedgerRow row, String reason) {
			super(reason);
			this.row = row;
		}

		LedgerRow row() {
			return this.row;
		}

	}

}
