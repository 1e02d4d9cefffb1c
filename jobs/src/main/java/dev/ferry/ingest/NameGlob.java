package dev.ferry.ingest;

import java.util.regex.Pattern;

/**
 * A glob on a file name: {@code *} any run of characters, {@code ?} one character,
 * {@code {a,b}} alternatives; everything else stands for itself. Written here rather than
 * with the JDK's {@code PathMatcher}, which needs a {@code Path} and so cannot take every
 * name a remote server lists.
 * <p>
 * Thread-safe: immutable.
 */
final class NameGlob {

	private final Pattern regex;

	private NameGlob(Pattern regex) {
		this.regex = regex;
	}

	static NameGlob of(String glob) {
		StringBuilder regex = new StringBuilder();
		boolean inGroup = false;
		for (int i = 0; i < glob.length(); i++) {
			char c = glob.charAt(i);
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				case '{' -> {
					if (inGroup) {
						throw new IllegalArgumentException("nested '{' in glob '" + glob + "'");
					}
					inGroup = true;
					regex.append("(?:");
				}
				case '}' -> {
					if (!inGroup) {
						throw new IllegalArgumentException("'}' without '{' in glob '" + glob + "'");
					}
					inGroup = false;
					regex.append(')');
				}
				case ',' -> regex.append(inGroup ? "|" : ",");
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		if (inGroup) {
			throw new IllegalArgumentException("'{' without '}' in glob '" + glob + "'");
		}
		return new NameGlob(Pattern.compile(regex.toString(), Pattern.DOTALL));
	}

	static boolean valid(String glob) {
		try {
			of(glob);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	boolean matches(String name) {
		return this.regex.matcher(name).matches();
	}

}
