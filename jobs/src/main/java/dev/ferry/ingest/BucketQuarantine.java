package dev.ferry.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.common.transfer.PartBytes;
import dev.ferry.common.transfer.StoredObject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A source's quarantine in a bucket ({@code quarantine-bucket}): the file under
 * {@code <prefix>/<source>/<path relative to the source directory>}, with
 * {@code <name>.report.json} beside it (the report the directory quarantine writes), both
 * with the configured server-side encryption, each carrying its ledger id and the file's
 * SHA-256. A rerun of a row whose PUT was cut off before its ledger commit finds its own
 * object and does not write it again; a different file already under the name (another
 * version) is kept, and the new one is named {@code <name>~<ledger id>}, as in the
 * directory. The report is written after the file, every time: a rerun rewrites it.
 * <p>
 * Thread-safe: stateless over a thread-safe client.
 */
final class BucketQuarantine implements AutoCloseable {

	private final S3Target target;

	private final String source;

	private BucketQuarantine(S3Target target, String source) {
		this.target = target;
		this.source = source;
	}

	/**
	 * @param location the configured bucket and prefix
	 * @param encryption the encryption every object asks for
	 * @param source the source's name
	 * @param property where the source is configured, for messages
	 */
	static BucketQuarantine open(S3Location location, ServerSideEncryption encryption, String source, String property) {
		return new BucketQuarantine(S3Target.open(location, encryption, property + ".quarantine-bucket",
				property + ".quarantine-encryption", 4), source);
	}

	S3Target target() {
		return this.target;
	}

	/** {@code s3://bucket/prefix/<source>/}, for messages. */
	String root() {
		return this.target.uri(this.target.location().key(this.source + "/"));
	}

	/**
	 * Checks that the bucket exists and takes the credentials.
	 * @throws dev.ferry.common.s3.BucketAccessException naming the property to fix
	 */
	void prepare() {
		this.target.checkAccess();
	}

	/**
	 * Quarantines a staged file and writes its report.
	 * @param report the report's bytes, given where the file is now
	 * @return where the file is now: {@code s3://bucket/key}
	 */
	String store(LedgerRow row, StagedFile staged, Function<String, byte[]> report) throws IOException {
		String relative = row.relative();
		StoredObject file = object(relative, row, staged);
		Optional<HeadObjectResponse> head = head(file);
		if (head.isPresent() && !staged.sha256().equals(head.get().metadata().get(Delivery.SHA256))) {
			relative = FileNames.pathWithSuffix(relative, "~" + row.id());
			file = object(relative, row, staged);
			head = head(file);
		}
		try {
			boolean ours = head.isPresent()
					&& Long.toString(row.id()).equals(head.get().metadata().get(Delivery.LEDGER_ID));
			if (!ours) {
				file.put(staged.content(), staged.size());
			}
			byte[] content = report.apply(file.uri());
			object(FileNames.pathWithSuffix(relative, FileNames.REPORT), row, staged).put(PartBytes.of(content),
					"application/json");
		}
		catch (SdkException ex) {
			throw new IOException("Could not quarantine " + row.describe() + " to " + file.uri() + " ("
					+ this.target.property() + "): " + ex.getMessage(), ex);
		}
		return file.uri();
	}

	/**
	 * The report beside a quarantined file, as written.
	 * @param quarantined where the file is in quarantine (the ledger's destination)
	 */
	byte[] report(String quarantined) throws IOException {
		String key = S3Keys.key(this.target.bucket(), quarantined);
		String reportKey = FileNames.pathWithSuffix(key, FileNames.REPORT);
		try (InputStream in = this.target.client()
			.getObject(request -> request.bucket(this.target.bucket()).key(reportKey))) {
			byte[] content = in.readNBytes(Quarantine.MAX_REPORT + 1);
			if (content.length > Quarantine.MAX_REPORT) {
				throw new IOException(
						"The report " + this.target.uri(reportKey) + " is larger than any report Ferry writes");
			}
			return content;
		}
		catch (SdkException ex) {
			throw new IOException("Could not read the report " + this.target.uri(reportKey) + " of a quarantined file ("
					+ this.target.property() + "): " + ex.getMessage(), ex);
		}
	}

	private StoredObject object(String relative, LedgerRow row, StagedFile staged) {
		return new StoredObject(this.target, this.target.location().key(this.source + "/" + relative),
				Map.of(Delivery.LEDGER_ID, Long.toString(row.id()), Delivery.SHA256, staged.sha256(), "ferry-verdict",
						String.valueOf(row.verdict())));
	}

	private Optional<HeadObjectResponse> head(StoredObject object) throws IOException {
		try {
			return object.head();
		}
		catch (SdkException ex) {
			throw new IOException(
					"Could not look at " + object.uri() + " (" + this.target.property() + "): " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.target.close();
	}

}
