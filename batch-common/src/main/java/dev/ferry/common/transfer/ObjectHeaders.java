package dev.ferry.common.transfer;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The standard HTTP headers an object is stored with, beside its user metadata: what a
 * copy must carry over for a reader to get the object as it was written (a
 * {@code Content-Encoding: gzip} object read as plain bytes is corrupt to a browser).
 *
 * @param contentType the media type
 * @param contentEncoding e.g. {@code gzip}, or null
 * @param cacheControl e.g. {@code max-age=3600}, or null
 * @param contentDisposition e.g. {@code attachment; filename="a.csv"}, or null
 * @param contentLanguage e.g. {@code en}, or null
 */
public record ObjectHeaders(String contentType, @Nullable String contentEncoding, @Nullable String cacheControl,
		@Nullable String contentDisposition, @Nullable String contentLanguage) {

	/** Only a content type. */
	public static ObjectHeaders of(String contentType) {
		return new ObjectHeaders(contentType, null, null, null, null);
	}

	PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
		return request.contentType(this.contentType)
			.contentEncoding(this.contentEncoding)
			.cacheControl(this.cacheControl)
			.contentDisposition(this.contentDisposition)
			.contentLanguage(this.contentLanguage);
	}

	CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
		return request.contentType(this.contentType)
			.contentEncoding(this.contentEncoding)
			.cacheControl(this.cacheControl)
			.contentDisposition(this.contentDisposition)
			.contentLanguage(this.contentLanguage);
	}

}
