package dev.ferry.common.transfer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bytes of one object or one multipart part, held in memory by the caller and sent
 * without a copy. The caller must not change them until the write returns.
 *
 * @param array the bytes' array
 * @param offset where they start in it
 * @param length how many there are
 */
public record PartBytes(byte[] array, int offset, int length) {

	public PartBytes {
		Objects.checkFromIndexSize(offset, length, array.length);
	}

	/** All of an array. */
	public static PartBytes of(byte[] array) {
		return new PartBytes(array, 0, array.length);
	}

	public InputStream inputStream() {
		return new ByteArrayInputStream(this.array, this.offset, this.length);
	}

	/** Adds these bytes to a digest. */
	public void digest(MessageDigest digest) {
		digest.update(this.array, this.offset, this.length);
	}

	/** The Content-MD5 a store verifies the bytes against. */
	String contentMd5() {
		MessageDigest md5 = Digests.md5();
		digest(md5);
		return Base64.getEncoder().encodeToString(md5.digest());
	}

	RequestBody requestBody(String contentType) {
		return RequestBody.fromContentProvider(this::inputStream, this.length, contentType);
	}

}
