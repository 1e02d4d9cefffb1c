package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.testkit.S3Endpoint;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Listing} over several pages, each asked for ahead while the previous one is
 * read: every key once, in order, after the watermark and within the globs; a failed page
 * fails the reader with the store's own exception.
 */
@ExtendWith(S3ProxyExtension.class)
class ListingTest {

	private static final KeyFilter ALL = new KeyFilter(List.of(), List.of());

	private static final List<String> KEYS = List.of("a", "a0/b", "b", "c.csv", "d", "e.csv", "f", "g", "h.csv");

	private static final S3Endpoint endpoint = S3ProxyExtension.source();

	private static String bucket;

	private static S3Target target;

	@BeforeAll
	static void putObjects() {
		bucket = endpoint.createBucket("listing");
		for (String key : KEYS) {
			endpoint.client()
				.putObject(request -> request.bucket(bucket).key("p/" + key), RequestBody.fromString("x" + key));
		}
		endpoint.client().putObject(request -> request.bucket(bucket).key("q/outside"), RequestBody.fromString("q"));
		target = S3Target.open(location(bucket), ServerSideEncryption.none(), "ferry.s3-mirror.mirrors.t.source",
				"ferry.s3-mirror.mirrors.t.encryption", 2);
	}

	@AfterAll
	static void close() {
		target.close();
	}

	@Test
	void pagesOfTwoGiveEveryKeyOnceInOrder() {
		Listing listing = new Listing(target, "p/", null, ALL, 2);
		assertThat(keys(listing)).containsExactlyElementsOf(KEYS);
		assertThat(listing.listed()).isEqualTo(KEYS.size());
		assertThat(listing.next()).isNull();
	}

	@Test
	void aListingAfterTheWatermarkWithGlobsGivesTheRest() {
		KeyFilter csv = new KeyFilter(List.of("*.csv"), List.of());
		assertThat(keys(new Listing(target, "p/", "c.csv", csv, 2))).containsExactly("e.csv", "h.csv");
		assertThat(keys(new Listing(target, "p/", "h.csv", ALL, 2))).isEmpty();
	}

	@Test
	void peekDoesNotTakeAndWorksAcrossPageEnds() {
		Listing listing = new Listing(target, "p/", null, ALL, 1);
		List<String> keys = new ArrayList<>();
		for (ListedObject object = listing.peek(); object != null; object = listing.peek()) {
			assertThat(listing.next()).isEqualTo(object);
			keys.add(object.key());
		}
		assertThat(keys).containsExactlyElementsOf(KEYS);
	}

	@Test
	void aPageThatFailsFailsTheReaderWithTheStoresException() {
		try (S3Target missing = S3Target.open(location("no-such-bucket-" + System.nanoTime()),
				ServerSideEncryption.none(), "p", "e", 2)) {
			Listing listing = new Listing(missing, "p/", null, ALL, 2);
			assertThatThrownBy(listing::peek).isInstanceOf(NoSuchBucketException.class);
		}
	}

	private static List<String> keys(Listing listing) {
		List<String> keys = new ArrayList<>();
		for (ListedObject object = listing.next(); object != null; object = listing.next()) {
			keys.add(object.key());
		}
		return keys;
	}

	private static S3Location location(String bucket) {
		return new S3Location(endpoint.uri(), endpoint.region(), bucket, "", true,
				S3Location.ChecksumMode.WHEN_REQUIRED, endpoint.accessKey(), endpoint.secretKey());
	}

}
