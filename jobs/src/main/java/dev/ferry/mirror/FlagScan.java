package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.s3.S3Target;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the {@code pipeline_success.flag} objects under a source's prefix, in S3's order,
 * with {@code encoding-type=url} as every listing of Ferry (see {@link Listing}). Lists
 * every key under the prefix, so that flags under prefixes without a route show too.
 * <p>
 * Thread-safe: stateless.
 */
final class FlagScan {

	private FlagScan() {
	}

	static List<Flag> flags(S3Target source) {
		String prefix = source.location().key("");
		List<Flag> flags = new ArrayList<>();
		for (ListObjectsV2Response page : source.client()
			.listObjectsV2Paginator(
					request -> request.bucket(source.bucket()).prefix(prefix).encodingType(EncodingType.URL))) {
			for (S3Object object : page.contents()) {
				if (Flag.isFlag(object.key())) {
					flags.add(new Flag(object.key(), ListedObject.unquote(object.eTag()), object.lastModified()));
				}
			}
		}
		return flags;
	}

}
