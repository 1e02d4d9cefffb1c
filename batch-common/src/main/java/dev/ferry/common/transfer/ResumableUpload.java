package dev.ferry.common.transfer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.util.Assert;

/**
 * One object written as an S3 multipart upload whose progress lives in a step's
 * ExecutionContext, so that a restarted step continues the same upload from its next
 * part. The rules that make a resumed object byte-identical to an uninterrupted one:
 * <ul>
 * <li>the upload id is saved in the context (a chunk commits) before part 1 is sent:
 * {@link #sendPart} refuses until {@link #update} has written it, so no upload is ever
 * unknown to the job repository;</li>
 * <li>the context only ever describes parts the store has acknowledged, so a restart
 * sends again at most the one part that was in flight;</li>
 * <li>an upload that is gone while the context says every part was acknowledged, with an
 * object of the recorded size in its place, was completed by a run that died before it
 * could record it ({@link Resumption#COMPLETED}).</li>
 * </ul>
 * ExecutionContext keys, prefixed by the owner's name (as Spring Batch's
 * {@code ItemStreamSupport} does) so that several uploads can live in one step:
 * {@code <name>.uploadId}, {@code <name>.parts} (one {@code "<number> <ETag>"} line per
 * acknowledged part), {@code <name>.bytes} (bytes in those parts) and
 * {@code <name>.allPartsUploaded}. Nothing of the content, and no secret.
 * <p>
 * Not thread-safe: one per object, driven by one step at a time.
 */
public final class ResumableUpload {

	private static final Logger logger = LoggerFactory.getLogger(ResumableUpload.class);

	public static final String UPLOAD_ID = "uploadId";

	public static final String PARTS = "parts";

	public static final String BYTES = "bytes";

	public static final String ALL_PARTS_UPLOADED = "allPartsUploaded";

	private final String name;

	private final StoredObject object;

	private final String contentType;

	private @Nullable String uploadId;

	/** Whether the context holds {@link #uploadId}: parts may be sent. */
	private boolean uploadIdSaved;

	private final List<CompletedPart> parts = new ArrayList<>();

	private long bytes;

	private boolean allPartsUploaded;

	/**
	 * @param name the owner's name, the prefix of the ExecutionContext keys
	 * @param object the key to write
	 * @param contentType the object's content type
	 */
	public ResumableUpload(String name, StoredObject object, String contentType) {
		Assert.hasText(name, "'name' must not be empty");
		this.name = name;
		this.object = object;
		this.contentType = contentType;
	}

	/** How an upload found in the ExecutionContext stands in the store. */
	public enum Resumption {

		/** The context names no upload: the object is written from its first byte. */
		FRESH,

		/** The upload is still open: the next part follows the acknowledged ones. */
		RESUMED,

		/**
		 * The upload is gone and an object of the recorded size took its place: a run
		 * completed it and died before it could record that.
		 */
		COMPLETED,

		/**
		 * The upload is gone (aborted, or expired by a lifecycle rule) and the object is
		 * not there: the state is reset and the object must be written again from its
		 * first byte.
		 */
		LOST

	}

	/** Reads the state a previous run saved; an empty context means a fresh upload. */
	public void open(ExecutionContext context) {
		reset();
		this.uploadId = context.containsKey(key(UPLOAD_ID)) ? context.getString(key(UPLOAD_ID)) : null;
		this.uploadIdSaved = this.uploadId != null;
		if (context.containsKey(key(PARTS))) {
			this.parts.addAll(parseParts(context.getString(key(PARTS))));
		}
		this.bytes = context.getLong(key(BYTES), 0);
		this.allPartsUploaded = context.containsKey(key(ALL_PARTS_UPLOADED))
				&& Boolean.TRUE.equals(context.get(key(ALL_PARTS_UPLOADED)));
	}

	/** Saves the state: only acknowledged parts, and the upload id before any part. */
	public void update(ExecutionContext context) {
		if (this.uploadId != null) {
			context.putString(key(UPLOAD_ID), this.uploadId);
		}
		else {
			context.remove(key(UPLOAD_ID));
		}
		StringBuilder lines = new StringBuilder();
		this.parts.forEach(part -> lines.append(part.partNumber()).append(' ').append(part.eTag()).append('\n'));
		context.putString(key(PARTS), lines.toString());
		context.putLong(key(BYTES), this.bytes);
		context.put(key(ALL_PARTS_UPLOADED), this.allPartsUploaded);
		this.uploadIdSaved = this.uploadId != null;
	}

	/**
	 * Asks the store how the upload that {@link #open} read stands, and resets the state
	 * when it has to start over ({@link Resumption#LOST}).
	 */
	public Resumption resume() {
		if (this.uploadId == null) {
			return Resumption.FRESH;
		}
		if (this.object.isOpen(this.uploadId)) {
			return Resumption.RESUMED;
		}
		boolean stored = this.allPartsUploaded
				&& this.object.head().map(head -> head.contentLength() == this.bytes).orElse(false);
		if (stored) {
			this.uploadId = null;
			return Resumption.COMPLETED;
		}
		logger.warn("Multipart upload {} of {} no longer exists (aborted, or expired by a lifecycle rule);"
				+ " writing the object again from its first byte", this.uploadId, uri());
		reset();
		return Resumption.LOST;
	}

	/**
	 * Aborts the recorded upload and any other open upload of the same key (a run killed
	 * between creating an upload and saving its id leaves one), and starts over: for a
	 * writer that cannot resume mid-object.
	 * @return the upload ids aborted
	 */
	public List<String> discard() {
		Set<String> uploads = new LinkedHashSet<>();
		if (this.uploadId != null) {
			uploads.add(this.uploadId);
		}
		uploads.addAll(this.object.openUploads());
		uploads.forEach(this.object::abort);
		reset();
		return List.copyOf(uploads);
	}

	/** Opens the multipart upload; save the state before the first part. */
	public void begin() {
		Assert.state(this.uploadId == null, () -> "Upload of " + uri() + " has begun already");
		this.uploadId = this.object.createUpload(this.contentType);
		this.uploadIdSaved = false;
	}

	public boolean begun() {
		return this.uploadId != null;
	}

	/**
	 * Uploads the next part and records it once the store acknowledged it.
	 * @throws IllegalStateException when the upload id is not saved yet
	 * @throws EncryptionNotAppliedException when the store did not encrypt the part; the
	 * upload is then aborted and the state reset
	 */
	public void sendPart(PartBytes content) {
		sendPart((id, number) -> this.object.uploadPart(id, number, content), content.length());
	}

	/**
	 * Uploads the next part from a stream of known length, without holding it in memory
	 * ({@link StoredObject#uploadPart(String, int, ContentStreamProvider, long)}), and
	 * records it once the store acknowledged it.
	 * @param content opens the part's bytes, once per attempt
	 * @param length the exact number of bytes the streams give
	 * @throws IllegalStateException when the upload id is not saved yet
	 * @throws EncryptionNotAppliedException when the store did not encrypt the part; the
	 * upload is then aborted and the state reset
	 */
	public void sendPart(ContentStreamProvider content, long length) {
		sendPart((id, number) -> this.object.uploadPart(id, number, content, length), length);
	}

	private void sendPart(BiFunction<String, Integer, String> upload, long length) {
		String id = this.uploadId;
		Assert.state(id != null && this.uploadIdSaved,
				() -> "Upload of " + uri() + ": its id must be saved in the ExecutionContext before part 1 is sent");
		Assert.state(!this.allPartsUploaded, () -> "Upload of " + uri() + " has all its parts already");
		int number = this.parts.size() + 1;
		String eTag;
		try {
			eTag = upload.apply(id, number);
		}
		catch (EncryptionNotAppliedException ex) {
			abort();
			throw ex;
		}
		this.parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
		this.bytes += length;
	}

	/** The parts sent so far are all there is; {@link #complete} follows. */
	public void markAllPartsSent() {
		Assert.state(this.uploadId != null, () -> "Upload of " + uri() + " has not begun");
		this.allPartsUploaded = true;
	}

	/** Completes the upload: the object appears. */
	public void complete() {
		Assert.state(this.uploadId != null && this.allPartsUploaded,
				() -> "Upload of " + uri() + " is not ready to complete");
		this.object.complete(this.uploadId, List.copyOf(this.parts));
		this.uploadId = null;
	}

	/**
	 * Writes an object that fits in one part with a single PUT instead, when no multipart
	 * upload has begun.
	 */
	public void putWhole(PartBytes content) {
		Assert.state(this.uploadId == null, () -> "Upload of " + uri() + " has begun as a multipart upload");
		this.object.put(content, this.contentType);
		this.bytes = content.length();
		this.allPartsUploaded = true;
	}

	/** Aborts the upload, if one is open, and forgets it. */
	public void abort() {
		if (this.uploadId != null) {
			this.object.abort(this.uploadId);
		}
		reset();
	}

	/** Acknowledged parts. */
	public int partCount() {
		return this.parts.size();
	}

	/** Bytes acknowledged by the store. */
	public long bytes() {
		return this.bytes;
	}

	public boolean allPartsUploaded() {
		return this.allPartsUploaded;
	}

	public StoredObject object() {
		return this.object;
	}

	public String uri() {
		return this.object.uri();
	}

	/** The upload id an owner of this name saved in a context, if any. */
	public static Optional<String> savedUploadId(String name, ExecutionContext context) {
		String key = name + "." + UPLOAD_ID;
		return context.containsKey(key) ? Optional.of(context.getString(key)) : Optional.empty();
	}

	private void reset() {
		this.uploadId = null;
		this.uploadIdSaved = false;
		this.parts.clear();
		this.bytes = 0;
		this.allPartsUploaded = false;
	}

	private String key(String suffix) {
		return this.name + "." + suffix;
	}

	private static List<CompletedPart> parseParts(String lines) {
		List<CompletedPart> parts = new ArrayList<>();
		for (String line : lines.split("\n")) {
			if (!line.isEmpty()) {
				int space = line.indexOf(' ');
				parts.add(CompletedPart.builder()
					.partNumber(Integer.parseInt(line.substring(0, space)))
					.eTag(line.substring(space + 1))
					.build());
			}
		}
		return parts;
	}

}
