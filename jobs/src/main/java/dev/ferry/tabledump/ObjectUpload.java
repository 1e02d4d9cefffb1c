package dev.ferry.tabledump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.ServerSideEncryption;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 calls that write one dump object: a single PUT for a small table, or a multipart
 * upload whose parts arrive one checkpoint at a time. Every write carries the configured
 * server-side encryption and a Content-MD5 that the store verifies.
 * <p>
 * Thread-safe (stateless over a thread-safe client).
 */
final class ObjectUpload {

	private final S3Client client;

	private final S3Location location;

	private final ServerSideEncryption encryption;

	private final String key;

	ObjectUpload(TableDumpTarget target, String key) {
		this.client = target.client();
		this.location = target.location();
		this.encryption = target.encryption();
		this.key = key;
	}

	String key() {
		return this.key;
	}

	String uri() {
		return this.location.uri(this.key);
	}

	void put(GzipPart part) {
		put("application/gzip", md5(part), body(part));
	}

	/** A small object, such as the manifest, in one PUT. */
	void put(byte[] content, String contentType) {
		put(contentType, Base64.getEncoder().encodeToString(Digests.md5().digest(content)),
				RequestBody.fromBytes(content));
	}

	private void put(String contentType, String contentMd5, RequestBody body) {
		PutObjectRequest.Builder request = PutObjectRequest.builder()
			.bucket(this.location.bucket())
			.key(this.key)
			.contentType(contentType)
			.contentMD5(contentMd5);
		this.client.putObject(this.encryption.applyTo(request).build(), body);
	}

	String create() {
		CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
			.bucket(this.location.bucket())
			.key(this.key)
			.contentType("application/gzip");
		return this.client.createMultipartUpload(this.encryption.applyTo(request).build()).uploadId();
	}

	/** Uploads a part; its ETag once the store has acknowledged it. */
	String uploadPart(String uploadId, int partNumber, GzipPart part) {
		return this.client
			.uploadPart(request -> request.bucket(this.location.bucket())
				.key(this.key)
				.uploadId(uploadId)
				.partNumber(partNumber)
				.contentLength((long) part.size())
				.contentMD5(md5(part)), body(part))
			.eTag();
	}

	void complete(String uploadId, List<CompletedPart> parts) {
		this.client.completeMultipartUpload(request -> request.bucket(this.location.bucket())
			.key(this.key)
			.uploadId(uploadId)
			.multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
	}

	/** Whether the store still has this upload open. */
	boolean isOpen(String uploadId) {
		try {
			this.client.listParts(
					request -> request.bucket(this.location.bucket()).key(this.key).uploadId(uploadId).maxParts(1));
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

	void abort(String uploadId) {
		try {
			this.client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
				.bucket(this.location.bucket())
				.key(this.key)
				.uploadId(uploadId)
				.build());
		}
		catch (NoSuchUploadException ex) {
			// already gone: what aborting wants
		}
	}

	/** Open multipart uploads of exactly this key (not of keys it is a prefix of). */
	List<String> openUploads() {
		ListMultipartUploadsResponse response = this.client
			.listMultipartUploads(request -> request.bucket(this.location.bucket()).prefix(this.key));
		return response.uploads()
			.stream()
			.filter(upload -> upload.key().equals(this.key))
			.map(MultipartUpload::uploadId)
			.toList();
	}

	Optional<HeadObjectResponse> head() {
		try {
			return Optional.of(this.client.headObject(request -> request.bucket(this.location.bucket()).key(this.key)));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
	}

	/** The SHA-256 of the stored object, read back from the store. */
	String sha256OfStored() {
		MessageDigest digest = Digests.sha256();
		try (ResponseInputStream<GetObjectResponse> in = this.client
			.getObject(request -> request.bucket(this.location.bucket()).key(this.key))) {
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

	private static String md5(GzipPart part) {
		MessageDigest md5 = Digests.md5();
		part.digest(md5);
		return Base64.getEncoder().encodeToString(md5.digest());
	}

	private static RequestBody body(GzipPart part) {
		return RequestBody.fromContentProvider(part::content, part.size(), "application/gzip");
	}

}
