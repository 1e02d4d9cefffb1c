package dev.ferry.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.common.transfer.Digests;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import org.springframework.util.Assert;

/**
 * The body of a write to the target, a PUT or a multipart part: a GetObject stream of one
 * version of a source object, whole or a byte range of it, passed through as it is read,
 * so that a copy holds a buffer, not the object nor the part. The client asks for a new
 * stream for each attempt of the write (and may read one to sign it before it sends
 * another); the first may be a GET already open, every further one is a new GET of the
 * same version ({@code If-Match} its ETag) and range. For a whole object the MD5 of the
 * last stream read is kept to check the target's answer ({@link #verify}); a range (a
 * multipart part) has no such check, since a part's write is protected in transit already
 * (see {@link #range}) and the MD5 would cost more CPU than the rest of the copy.
 * <p>
 * Not thread-safe: one per write.
 */
final class SourceStream implements ContentStreamProvider, AutoCloseable {

	private final S3Target source;

	private final String key;

	private final String eTag;

	/** {@code bytes=<first>-<last>}, or null for the whole object. */
	private final @Nullable String range;

	private final long length;

	private @Nullable ResponseInputStream<GetObjectResponse> first;

	private @Nullable InputStream current;

	/** Null for a range. */
	private @Nullable MessageDigest md5;

	/**
	 * The whole of an object whose GET is open.
	 * @param source the source location
	 * @param key the object's key
	 * @param eTag the ETag of the version the first stream reads
	 * @param first the first stream
	 */
	SourceStream(S3Target source, String key, String eTag, ResponseInputStream<GetObjectResponse> first) {
		this(source, key, eTag, null, first.response().contentLength(), first);
	}

	private SourceStream(S3Target source, String key, String eTag, @Nullable String range, long length,
			@Nullable ResponseInputStream<GetObjectResponse> first) {
		this.source = source;
		this.key = key;
		this.eTag = eTag;
		this.range = range;
		this.length = length;
		this.first = first;
	}

	/**
	 * A byte range of a version of an object, read when the client asks for it, without
	 * an MD5: the part it becomes is protected in transit by the request's signature
	 * (over http the client signs every chunk of the body, SigV4 streaming, and the store
	 * checks each) or by TLS, and a part's ETag tells nothing more.
	 * @param offset its first byte
	 * @param length how many bytes
	 */
	static SourceStream range(S3Target source, String key, String eTag, long offset, long length) {
		return new SourceStream(source, key, eTag, "bytes=" + offset + "-" + (offset + length - 1), length, null);
	}

	@Override
	public InputStream newStream() {
		ResponseInputStream<GetObjectResponse> stream;
		if (this.first != null) {
			stream = this.first;
			this.first = null;
		}
		else {
			close();
			stream = this.source.client()
				.getObject(request -> request.bucket(this.source.bucket())
					.key(this.key)
					.ifMatch(this.eTag)
					.range(this.range));
			Long given = stream.response().contentLength();
			if (given == null || given != this.length) {
				stream.abort();
				throw new IllegalStateException(
						"The source answered a GET of " + describe() + " with " + given + " bytes, not " + this.length);
			}
		}
		if (this.range != null) {
			this.current = stream;
			return stream;
		}
		this.md5 = Digests.md5();
		this.current = new DigestInputStream(stream, this.md5);
		return this.current;
	}

	/** The MD5 of what the last stream of a whole object gave, in hex. */
	private String md5Hex() {
		Assert.state(this.md5 != null, "Only a whole object's stream has an MD5, once read");
		return HexFormat.of().formatHex(this.md5.digest());
	}

	/**
	 * Checks the ETag the target answered for what the last stream gave: where the target
	 * reports a plain MD5 (no KMS, no multipart object), it must be the MD5 of the bytes
	 * read from the source, so the copy is checked end to end.
	 * @param stored the target's ETag, quoted or not; null when it gave none
	 * @param target where the bytes were written
	 * @param what the object written, for the message
	 * @throws IllegalStateException when they differ (the write is retried)
	 */
	void verify(@Nullable String stored, S3Target target, String what) {
		String targetETag = (stored != null) ? ListedObject.unquote(stored) : "";
		boolean plainMd5 = targetETag.matches("[0-9a-f]{32}")
				&& target.encryption().algorithm() != ServerSideEncryption.Algorithm.AWS_KMS;
		String md5 = md5Hex();
		if (plainMd5 && !targetETag.equals(md5)) {
			throw new IllegalStateException("The target stored " + what + " with MD5 " + targetETag
					+ ", but the bytes read from the source have MD5 " + md5 + "; the copy is retried");
		}
	}

	@Override
	public void close() {
		try {
			if (this.current != null) {
				this.current.close();
				this.current = null;
			}
			if (this.first != null) {
				this.first.close();
				this.first = null;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not close the stream of " + describe(), ex);
		}
	}

	private String describe() {
		return (this.range != null) ? this.range + " of " + this.source.uri(this.key) : this.source.uri(this.key);
	}

}
