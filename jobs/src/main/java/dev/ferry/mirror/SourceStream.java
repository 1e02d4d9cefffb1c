package dev.ferry.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.transfer.Digests;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of a PUT to the target: a source object's GetObject stream, passed through as
 * it is read, so that a copy holds a buffer, not the object. The client asks for a new
 * stream for each attempt of the PUT (and may read one to sign it before it sends
 * another); the first is the GET already open, every further one a new GET of the same
 * version ({@code If-Match} its ETag). The MD5 of the last stream read is kept to check
 * the target's answer.
 * <p>
 * Not thread-safe: one per copy.
 */
final class SourceStream implements ContentStreamProvider, AutoCloseable {

	private final S3Target source;

	private final String key;

	private final String eTag;

	private @Nullable ResponseInputStream<GetObjectResponse> first;

	private @Nullable InputStream current;

	private MessageDigest md5 = Digests.md5();

	/**
	 * @param source the source location
	 * @param key the object's key
	 * @param eTag the ETag of the version the first stream reads
	 * @param first the first stream
	 */
	SourceStream(S3Target source, String key, String eTag, ResponseInputStream<GetObjectResponse> first) {
		this.source = source;
		this.key = key;
		this.eTag = eTag;
		this.first = first;
	}

	@Override
	public InputStream newStream() {
		InputStream stream;
		if (this.first != null) {
			stream = this.first;
			this.first = null;
		}
		else {
			close();
			stream = this.source.client()
				.getObject(request -> request.bucket(this.source.bucket()).key(this.key).ifMatch(this.eTag));
		}
		this.md5 = Digests.md5();
		this.current = new DigestInputStream(stream, this.md5);
		return this.current;
	}

	/** The MD5 of what the last stream gave, in hex. */
	String md5Hex() {
		return HexFormat.of().formatHex(this.md5.digest());
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
			throw new UncheckedIOException("Could not close the stream of " + this.source.uri(this.key), ex);
		}
	}

}
