package dev.ferry.mirror;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ListedObject}: ETags as stores list them, including none at all (S3Proxy lists
 * an object that another client is still writing without one, as MirrorScaleOutTest's
 * three pods writing one target showed).
 */
class ListedObjectTest {

	@Test
	void quotesAreTakenOffAndAMissingETagIsEmpty() {
		assertThat(ListedObject.unquote("\"9e107d9d372bb6826bd81d3542a419d6\""))
			.isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
		assertThat(ListedObject.unquote("abc-3")).isEqualTo("abc-3");
		assertThat(ListedObject.unquote(null)).isEmpty();
		assertThat(new ListedObject("k", 1, ListedObject.unquote(null)).hasETag()).isFalse();
		assertThat(new ListedObject("k", 1, "abc-3").multipartETag()).isTrue();
	}

}
