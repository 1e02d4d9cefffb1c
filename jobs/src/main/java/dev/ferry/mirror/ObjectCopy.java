package dev.ferry.mirror;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.transfer.ObjectHeaders;
import dev.ferry.common.transfer.StoredObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Copies one object up to the multipart threshold: a GetObject stream from the source
 * into a PutObject of the same length on the target ({@link SourceStream}), with the
 * source's content type, content encoding, cache control, content disposition, content
 * language and user metadata, plus {@value MergeJoin#SOURCE_ETAG_METADATA}: the ETag of
 * the version read, so that the next run can tell the copy unchanged without reading it.
 * The key is the source key with the source prefix replaced by the target's, byte for
 * byte.
 * <p>
 * Thread-safe: stateless; the step runs several at once.
 */
final class ObjectCopy {

	private static final Logger logger = LoggerFactory.getLogger(ObjectCopy.class);

	/** What a copy did. */
	enum Outcome {

		COPIED,

		/** The source object was deleted after the listing: there is nothing to copy. */
		VANISHED

	}

	private final CopyEnds ends;

	private final StepProgress progress;

	ObjectCopy(CopyEnds ends, StepProgress progress) {
		this.ends = ends;
		this.progress = progress;
	}

	Outcome copy(Difference difference) {
		String sourceKey = this.ends.sourceKey(difference.key());
		ResponseInputStream<GetObjectResponse> in;
		try {
			in = this.ends.source()
				.client()
				.getObject(request -> request.bucket(this.ends.source().bucket()).key(sourceKey));
		}
		catch (NoSuchKeyException ex) {
			logger.warn("{} was deleted from the source after it was listed; nothing to copy",
					MirrorLog.object(this.ends.source().bucket(), sourceKey));
			return Outcome.VANISHED;
		}
		GetObjectResponse response = in.response();
		// S3Proxy answers a GET of a folder marker ('k/') without an ETag
		String eTag = (response.eTag() != null) ? ListedObject.unquote(response.eTag()) : difference.source().eTag();
		try (SourceStream body = new SourceStream(this.ends.source(), sourceKey, eTag, in)) {
			StoredObject target = new StoredObject(this.ends.target(), this.ends.targetKey(difference.key()),
					metadata(response.metadata(), eTag), headers(response));
			String stored = target.put(body, response.contentLength());
			body.verify(stored, this.ends.target(), target.uri());
		}
		this.progress.addBytes(response.contentLength());
		logger.info(this.ends.copyLine(difference.key()));
		return Outcome.COPIED;
	}

	/** The source's user metadata and the ETag of the version copied. */
	static Map<String, String> metadata(Map<String, String> source, String eTag) {
		Map<String, String> metadata = new HashMap<>(source);
		metadata.put(MergeJoin.SOURCE_ETAG_METADATA, ListedObject.unquote(eTag));
		return metadata;
	}

	static ObjectHeaders headers(GetObjectResponse response) {
		return new ObjectHeaders(contentType(response.contentType()), contentEncoding(response.contentEncoding()),
				response.cacheControl(), response.contentDisposition(), response.contentLanguage());
	}

	static ObjectHeaders headers(HeadObjectResponse response) {
		return new ObjectHeaders(contentType(response.contentType()), contentEncoding(response.contentEncoding()),
				response.cacheControl(), response.contentDisposition(), response.contentLanguage());
	}

	/**
	 * The content encoding without {@code aws-chunked}: that is how the AWS SDK sent the
	 * body, not how the object is encoded, and S3 drops it; Ceph RGW 16 stores it with
	 * the object, and a PUT that names it again beside the SDK's own is refused (403).
	 */
	static @Nullable String contentEncoding(@Nullable String contentEncoding) {
		if (contentEncoding == null) {
			return null;
		}
		String kept = Arrays.stream(contentEncoding.split(","))
			.map(String::trim)
			.filter(coding -> !coding.isEmpty() && !coding.equalsIgnoreCase("aws-chunked"))
			.collect(Collectors.joining(","));
		return kept.isEmpty() ? null : kept;
	}

	private static String contentType(@Nullable String contentType) {
		// what S3 assumes for an object stored without one
		return (contentType != null) ? contentType : "binary/octet-stream";
	}

}
