package dev.ferry.tabledump;

import org.junit.jupiter.api.Nested;

/** {@link GzipPartCases} with libdeflate, and with the JDK's zlib (the fallback). */
class GzipPartTest {

	@Nested
	class WithLibdeflate extends GzipPartCases {

		WithLibdeflate() {
			super(DeflateEngine.LIBDEFLATE);
		}

	}

	@Nested
	class WithZlib extends GzipPartCases {

		WithZlib() {
			super(DeflateEngine.ZLIB);
		}

	}

}
