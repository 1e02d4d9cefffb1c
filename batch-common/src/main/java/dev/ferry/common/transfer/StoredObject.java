package dev.ferry.common.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ferry.common.s3.S3Target;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 calls that write one key of a target: a single PUT, or the calls of a multipart
 * upload. Every write carries the target's server-side encryption, a write from memory a
 * Content-MD5 that the store verifies (a streamed one relies on the request's signature
 * or TLS), and every answer is checked for the encryption asked for (see
 * {@link EncryptionNotAppliedException}): a single PUT the store left unencrypted is
 * deleted again, so that nothing readable stays behind.
 * <p>
 * Thread-safe: stateless over a thread-safe client.
 */
public final class StoredObject {

	private final S3Target target;

	private final String key;

	private final Map<String, String> metadata;

	private final @Nullable ObjectHeaders headers;

	public StoredObject(S3Target target, String key) {
		this(target, key, Map.of());
	}

	/**
	 * @param target where the object lives
	 * @param key its key
	 * @param metadata user metadata every write sets ({@code x-amz-meta-*}), e.g. which
	 * job instance wrote the object
	 */
	public StoredObject(S3Target target, String key, Map<String, String> metadata) {
		this.target = target;
		this.key = key;
		this.metadata = Map.copyOf(metadata);
		this.headers = null;
	}

	/**
	 * @param target where the object lives
	 * @param key its key
	 * @param metadata user metadata every write sets ({@code x-amz-meta-*})
	 * @param headers the standard headers every write sets (a copy carries over those of
	 * its source); their content type wins over the one a write names
	 */
	public StoredObject(S3Target target, String key, Map<String, String> metadata, ObjectHeaders headers) {
		this.target = target;
		this.key = key;
		this.metadata = Map.copyOf(metadata);
		this.headers = headers;
	}

	public String key() {
		return this.key;
	}

	/** {@code s3://bucket/key}, for log lines and messages. */
	public String uri() {
		return this.target.uri(this.key);
	}

	public S3Target target() {
		return this.target;
	}

	/**
	 * Writes the whole object in one PUT.
	 * @throws EncryptionNotAppliedException when the store did not report the requested
	 * encryption; the object is then deleted
	 */
	public void put(PartBytes content, String contentType) {
		PutObjectRequest.Builder request = putRequest(contentType, content.length()).contentMD5(content.contentMd5());
		PutObjectResponse response = this.target.client()
			.putObject(this.target.encryption().applyTo(request).build(), content.requestBody(contentType));
		verifyPut(response);
	}

	/**
	 * Writes the whole object in one PUT from a stream of known length, without holding
	 * it in memory: for a copy of an object from another store. The provider is asked for
	 * a new stream for each attempt of the request (the client may retry it).
	 * @param content opens the object's bytes, once per attempt
	 * @param length the exact number of bytes the streams give
	 * @return the ETag the store answered
	 * @throws EncryptionNotAppliedException when the store did not report the requested
	 * encryption; the object is then deleted
	 */
	public String put(ContentStreamProvider content, long length) {
		String contentType = (this.headers != null) ? this.headers.contentType() : "application/octet-stream";
		PutObjectRequest.Builder request = putRequest(contentType, length).contentLength(length);
		PutObjectResponse response = this.target.client()
			.putObject(this.target.encryption().applyTo(request).build(),
					RequestBody.fromContentProvider(content, length, contentType));
		verifyPut(response);
		return response.eTag();
	}

	private PutObjectRequest.Builder putRequest(String contentType, long length) {
		PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(this.target.bucket()).key(this.key);
		if (length == 0) {
			request.overrideConfiguration(override -> override.addPlugin(SignedEmptyPayload.plugin()));
		}
		if (this.headers != null) {
			this.headers.applyTo(request);
		}
		else {
			request.contentType(contentType);
		}
		return request.metadata(this.metadata);
	}

	private void verifyPut(PutObjectResponse response) {
		try {
			AppliedEncryption.verify(this.target, uri(), "PutObject", response.serverSideEncryptionAsString(),
					response.ssekmsKeyId());
		}
		catch (EncryptionNotAppliedException ex) {
			delete();
			throw ex;
		}
	}

	/** Opens a multipart upload; its id. */
	public String createUpload(String contentType) {
		CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
			.bucket(this.target.bucket())
			.key(this.key)
			.metadata(this.metadata);
		if (this.headers != null) {
			this.headers.applyTo(request);
		}
		else {
			request.contentType(contentType);
		}
		CreateMultipartUploadResponse response = this.target.client()
			.createMultipartUpload(this.target.encryption().applyTo(request).build());
		try {
			AppliedEncryption.verify(this.target, uri(), "CreateMultipartUpload",
					response.serverSideEncryptionAsString(), response.ssekmsKeyId());
		}
		catch (EncryptionNotAppliedException ex) {
			abort(response.uploadId());
			throw ex;
		}
		return response.uploadId();
	}

	/**
	 * Uploads a part.
	 * @return its ETag, once the store has acknowledged it
	 * @throws EncryptionNotAppliedException when the store did not report the requested
	 * encryption for the part; the caller aborts the upload
	 */
	public String uploadPart(String uploadId, int partNumber, PartBytes content) {
		return uploadPart(uploadId, partNumber, content.length(), content.contentMd5(),
				content.requestBody("application/octet-stream"));
	}

	/**
	 * Uploads a part from a stream of known length, without holding it in memory: for a
	 * copy from another store. No Content-MD5 goes with it (that would need the whole
	 * part first): the request's signature (SigV4 streaming over http, each chunk checked
	 * by the store) or TLS protects it in transit. The provider is asked for a new stream
	 * for each attempt of the request.
	 * @return its ETag, once the store has acknowledged it
	 * @throws EncryptionNotAppliedException when the store did not report the requested
	 * encryption for the part; the caller aborts the upload
	 */
	public String uploadPart(String uploadId, int partNumber, ContentStreamProvider content, long length) {
		return uploadPart(uploadId, partNumber, length, null,
				RequestBody.fromContentProvider(content, length, "application/octet-stream"));
	}

	private String uploadPart(String uploadId, int partNumber, long length, @Nullable String contentMd5,
			RequestBody body) {
		UploadPartResponse response = this.target.client()
			.uploadPart(request -> request.bucket(this.target.bucket())
				.key(this.key)
				.uploadId(uploadId)
				.partNumber(partNumber)
				.contentLength(length)
				.contentMD5(contentMd5), body);
		AppliedEncryption.verify(this.target, uri(), "UploadPart " + partNumber,
				response.serverSideEncryptionAsString(), response.ssekmsKeyId());
		return response.eTag();
	}

	public void complete(String uploadId, List<CompletedPart> parts) {
		CompleteMultipartUploadResponse response = this.target.client()
			.completeMultipartUpload(request -> request.bucket(this.target.bucket())
				.key(this.key)
				.uploadId(uploadId)
				.multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
		// Ceph RGW answers CompleteMultipartUpload without encryption headers (and
		// without
		// an ETag); the parts' answers were checked. A store that does report one must
		// report the requested one.
		if (response.serverSideEncryptionAsString() != null) {
			AppliedEncryption.verify(this.target, uri(), "CompleteMultipartUpload",
					response.serverSideEncryptionAsString(), response.ssekmsKeyId());
		}
	}

	/** Whether the store still has this upload open. */
	public boolean isOpen(String uploadId) {
		try {
			this.target.client()
				.listParts(
						request -> request.bucket(this.target.bucket()).key(this.key).uploadId(uploadId).maxParts(1));
			return true;
		}
		catch (NoSuchUploadException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

	/** Aborts an upload; one that is gone already counts as aborted. */
	public void abort(String uploadId) {
		try {
			this.target.client()
				.abortMultipartUpload(request -> request.bucket(this.target.bucket()).key(this.key).uploadId(uploadId));
		}
		catch (NoSuchUploadException ex) {
			// already gone: what aborting wants
		}
	}

	/** Open multipart uploads of exactly this key (not of keys it is a prefix of). */
	public List<String> openUploads() {
		return this.target.client()
			.listMultipartUploadsPaginator(request -> request.bucket(this.target.bucket()).prefix(this.key))
			.uploads()
			.stream()
			.filter(upload -> upload.key().equals(this.key))
			.map(MultipartUpload::uploadId)
			.toList();
	}

	public Optional<HeadObjectResponse> head() {
		try {
			return Optional
				.of(this.target.client().headObject(request -> request.bucket(this.target.bucket()).key(this.key)));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
	}

	public void delete() {
		this.target.client().deleteObject(request -> request.bucket(this.target.bucket()).key(this.key));
	}

	/** The SHA-256 of the stored object, read back from the store, in hex. */
	public String sha256OfStored() {
		MessageDigest digest = Digests.sha256();
		try (ResponseInputStream<GetObjectResponse> in = this.target.client()
			.getObject(request -> request.bucket(this.target.bucket()).key(this.key))) {
			byte[] buffer = new byte[64 * 1024];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				digest.update(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read back " + uri() + " to checksum it", ex);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
