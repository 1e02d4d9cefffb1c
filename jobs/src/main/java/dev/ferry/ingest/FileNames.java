package dev.ferry.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import dev.ferry.common.transfer.Digests;
import org.jspecify.annotations.Nullable;

/**
 * The rules for the names of source files, and for the names Ferry derives from them.
 * <ul>
 * <li>A name that cannot become a faithful key, path or log line is rejected with a
 * reason: empty, {@code .} or {@code ..}, absolute, holding a NUL, a control character or
 * a line separator, or not valid UTF-8 (a decoder's U+FFFD stands for bytes that were
 * not).</li>
 * <li>Names ending in {@value #DONE} or {@value #REPORT} are Ferry's own: a source file
 * {@code x.done} would collide with the marker of {@code x}, and is rejected rather than
 * silently overwritten or overwriting.</li>
 * <li>A derived name ({@code <name>.done}, {@code <name>.report.json}) fits the 255-byte
 * name limit of common file systems: a longer one is cut (at a character boundary) and
 * given a hash of the whole name, so that two long names never share one.</li>
 * </ul>
 */
final class FileNames {

	static final String DONE = ".done";

	static final String REPORT = ".report.json";

	static final int MAX_NAME_BYTES = 255;

	private FileNames() {
	}

	/**
	 * Why a path relative to its source directory is refused, or null when it is fine.
	 * @param relative the path as listed, segments separated by {@code /}
	 */
	static @Nullable String problem(String relative) {
		if (relative.startsWith("/")) {
			return "the name is absolute";
		}
		for (String segment : relative.split("/", -1)) {
			String problem = segmentProblem(segment);
			if (problem != null) {
				return problem;
			}
		}
		String name = name(relative);
		if (name.endsWith(DONE) || name.endsWith(REPORT)) {
			return "the name ends in '" + (name.endsWith(DONE) ? DONE : REPORT)
					+ "', which Ferry reserves for its markers and reports (it would collide with the one of '"
					+ IngestLog.escape(name.substring(0, name.lastIndexOf(name.endsWith(DONE) ? DONE : REPORT))) + "')";
		}
		return null;
	}

	private static @Nullable String segmentProblem(String segment) {
		if (segment.isEmpty()) {
			return "the name has an empty path segment";
		}
		if (segment.equals(".") || segment.equals("..")) {
			return "the name holds a '" + segment + "' segment";
		}
		if (segment.indexOf('\0') >= 0) {
			return "the name holds a NUL character";
		}
		if (segment.indexOf('\n') >= 0 || segment.indexOf('\r') >= 0 || segment.indexOf('\u2028') >= 0
				|| segment.indexOf('\u2029') >= 0) {
			return "the name holds a line break";
		}
		if (segment.codePoints().anyMatch(Character::isISOControl)) {
			return "the name holds a control character";
		}
		if (segment.indexOf('\uFFFD') >= 0) {
			return "the name is not valid UTF-8 (or holds U+FFFD)";
		}
		if (segment.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
			return "the name is not valid UTF-8 (an unpaired surrogate)";
		}
		if (utf8Length(segment) > MAX_NAME_BYTES) {
			return "the name is longer than " + MAX_NAME_BYTES + " bytes";
		}
		return null;
	}

	/** The last segment of a relative path. */
	static String name(String relative) {
		return relative.substring(relative.lastIndexOf('/') + 1);
	}

	/** The directory part of a relative path with its trailing slash, or "". */
	static String parent(String relative) {
		return relative.substring(0, relative.lastIndexOf('/') + 1);
	}

	/**
	 * A name with a suffix, cut to fit {@value #MAX_NAME_BYTES} bytes of UTF-8:
	 * {@code <start of name>~<16 hex of its SHA-256><suffix>}.
	 */
	static String withSuffix(String name, String suffix) {
		String whole = name + suffix;
		if (utf8Length(whole) <= MAX_NAME_BYTES) {
			return whole;
		}
		String hash = "~" + HexFormat.of()
			.formatHex(Digests.sha256().digest(name.getBytes(StandardCharsets.UTF_8)))
			.substring(0, 16);
		int budget = MAX_NAME_BYTES - utf8Length(hash + suffix);
		StringBuilder cut = new StringBuilder();
		int used = 0;
		for (int c : name.codePoints().toArray()) {
			int length = utf8Length(Character.toString(c));
			if (used + length > budget) {
				break;
			}
			cut.appendCodePoint(c);
			used += length;
		}
		return cut + hash + suffix;
	}

	/** A relative path with its last segment given a suffix, as {@link #withSuffix}. */
	static String pathWithSuffix(String relative, String suffix) {
		return parent(relative) + withSuffix(name(relative), suffix);
	}

	static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

}
