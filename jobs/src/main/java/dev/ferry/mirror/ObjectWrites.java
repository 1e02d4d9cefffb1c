package dev.ferry.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.s3.S3Target;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where the objects of one transfer go, by the route's transfer type: to S3 through the
 * mirror's own copy ({@link ObjectCopy}, with {@link LargeCopy} for large objects), or
 * into a directory ({@link DirectoryDestination}). Keys are relative to the flag's folder
 * on the source side; the destination keeps the folder's path below the route's source
 * prefix.
 * <p>
 * Thread-safe: stateless over thread-safe collaborators; a chunk sends several at once.
 */
final class ObjectWrites {

	private static final Logger logger = LoggerFactory.getLogger(ObjectWrites.class);

	private final S3Target source;

	private final String folder;

	private final StepProgress progress;

	private final @Nullable CopyEnds ends;

	private final @Nullable ObjectCopy copy;

	private final @Nullable DirectoryDestination directory;

	private final String subfolder;

	private ObjectWrites(S3Target source, String folder, StepProgress progress, @Nullable CopyEnds ends,
			@Nullable DirectoryDestination directory, String subfolder) {
		this.source = source;
		this.folder = folder;
		this.progress = progress;
		this.ends = ends;
		this.copy = (ends != null) ? new ObjectCopy(ends, progress) : null;
		this.directory = directory;
		this.subfolder = subfolder;
	}

	static ObjectWrites toS3(S3Target source, RoutedFlag transfer, S3Target destination, StepProgress progress) {
		CopyEnds ends = new CopyEnds(source, transfer.flag().folder(), destination,
				destination.location().key("") + transfer.subfolder());
		return new ObjectWrites(source, transfer.flag().folder(), progress, ends, null, transfer.subfolder());
	}

	static ObjectWrites toDirectory(S3Target source, RoutedFlag transfer, DirectoryDestination directory,
			StepProgress progress) {
		return new ObjectWrites(source, transfer.flag().folder(), progress, null, directory, transfer.subfolder());
	}

	S3Target source() {
		return this.source;
	}

	/** The two S3 ends, for large copies; null for a directory. */
	@Nullable CopyEnds ends() {
		return this.ends;
	}

	/** Where the transfer goes, as the ledger records it. */
	String destination() {
		if (this.ends != null) {
			return this.ends.target().uri(this.ends.targetPrefix()) + " at "
					+ this.ends.target().location().displayEndpoint();
		}
		return String.valueOf(this.directory.directory().resolve(this.subfolder));
	}

	/**
	 * The log line of an object: {@code `bucket/key` -> `bucket/key`} or
	 * {@code -> `/path`}.
	 */
	String line(String relativeKey) {
		if (this.ends != null) {
			return this.ends.copyLine(relativeKey);
		}
		return MirrorLog.object(this.source.bucket(), this.folder + relativeKey) + " -> `"
				+ MirrorLog.escape(this.directory.directory().resolve(this.subfolder + relativeKey).toString()) + "`";
	}

	/** Sends one object that fits in one request (or one file). */
	ObjectCopy.Outcome send(ListedObject object) {
		if (this.copy != null) {
			return this.copy.copy(new Difference(object, null, Difference.Kind.NEW));
		}
		String key = this.folder + object.key();
		ResponseInputStream<GetObjectResponse> in;
		try {
			in = this.source.client().getObject(request -> request.bucket(this.source.bucket()).key(key));
		}
		catch (NoSuchKeyException ex) {
			logger.warn("{} was deleted from the source after it was listed; nothing to send",
					MirrorLog.object(this.source.bucket(), key));
			return ObjectCopy.Outcome.VANISHED;
		}
		long written;
		try (in) {
			Long length = in.response().contentLength();
			written = this.directory.write(this.subfolder + object.key(), in,
					(length != null) ? length : object.size());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not close the stream of " + this.source.uri(key), ex);
		}
		this.progress.addBytes(written);
		logger.info(line(object.key()));
		return ObjectCopy.Outcome.COPIED;
	}

}
