package dev.ferry.tabledump;

import java.util.function.IntFunction;

/**
 * Which deflate implementation makes the gzip members ({@code ferry.table-dump.deflate}).
 * Both write the same format at the same level: gzip members that any reader decodes to
 * the same CSV; sizes differ by a few per cent.
 */
enum DeflateEngine {

	/** libdeflate when it is installed, else zlib. */
	AUTO,

	/** libdeflate, or the job refuses to start: the choice for a known image. */
	LIBDEFLATE,

	/** The JDK's zlib ({@link java.util.zip.Deflater}), about twice libdeflate's CPU. */
	ZLIB;

	/** The engine this choice comes to on this machine. */
	DeflateEngine resolve() {
		return switch (this) {
			case AUTO -> LibdeflateMemberDeflater.available() ? LIBDEFLATE : ZLIB;
			case LIBDEFLATE -> {
				if (!LibdeflateMemberDeflater.available()) {
					throw new IllegalStateException("ferry.table-dump.deflate is libdeflate, but it cannot be loaded: "
							+ LibdeflateMemberDeflater.library());
				}
				yield LIBDEFLATE;
			}
			case ZLIB -> ZLIB;
		};
	}

	/**
	 * Makes one deflater per compressor thread; call on a {@link #resolve() resolved}
	 * engine.
	 */
	IntFunction<MemberDeflater> deflaters() {
		return switch (this) {
			case LIBDEFLATE -> LibdeflateMemberDeflater::new;
			case ZLIB -> ZlibMemberDeflater::new;
			case AUTO -> resolve().deflaters();
		};
	}

	/** For the log: what is used, and why not libdeflate if it is not. */
	String describe() {
		return switch (this) {
			case LIBDEFLATE -> "libdeflate (" + LibdeflateMemberDeflater.library() + ")";
			case ZLIB -> "zlib (java.util.zip.Deflater)" + (LibdeflateMemberDeflater.available() ? ""
					: "; libdeflate not used: " + LibdeflateMemberDeflater.library());
			case AUTO -> resolve().describe();
		};
	}

}
