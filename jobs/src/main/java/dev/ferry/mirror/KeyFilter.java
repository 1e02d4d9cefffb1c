package dev.ferry.mirror;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.ferry.common.batch.JobShare;

/**
 * The {@code include} and {@code exclude} globs of a mirror, matched against a key
 * relative to the source prefix: {@code *} matches within one path segment, {@code **}
 * across segments, {@code ?} one character other than {@code /}; everything else matches
 * itself. A key is mirrored when it matches an include (or there is none) and no exclude.
 * Keys that are left out are neither copied nor deleted. A pod of an Indexed Job
 * ({@code part}/{@code parts}) further takes only the keys of its share
 * ({@link JobShare#includes}), so that the pods mirror every key once between them while
 * each lists both sides whole: the merge join, the watermark and {@code removeExtra} work
 * on the share's keys only.
 * <p>
 * Thread-safe: immutable.
 */
final class KeyFilter {

	private final List<Pattern> include;

	private final List<Pattern> exclude;

	private final JobShare share;

	KeyFilter(List<String> include, List<String> exclude) {
		this(include.stream().map(KeyFilter::compile).toList(), exclude.stream().map(KeyFilter::compile).toList(),
				JobShare.ALL);
	}

	private KeyFilter(List<Pattern> include, List<Pattern> exclude, JobShare share) {
		this.include = include;
		this.exclude = exclude;
		this.share = share;
	}

	/** These globs, and only the keys of a share. */
	KeyFilter within(JobShare share) {
		return new KeyFilter(this.include, this.exclude, share);
	}

	boolean accepts(String relativeKey) {
		return (this.include.isEmpty() || this.include.stream().anyMatch(p -> p.matcher(relativeKey).matches()))
				&& this.exclude.stream().noneMatch(p -> p.matcher(relativeKey).matches())
				&& this.share.includes(relativeKey);
	}

	static boolean valid(List<String> globs) {
		try {
			globs.forEach(KeyFilter::compile);
			return true;
		}
		catch (PatternSyntaxException ex) {
			return false;
		}
	}

	static Pattern compile(String glob) {
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < glob.length(); i++) {
			char c = glob.charAt(i);
			if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
				regex.append(".*");
				i++;
			}
			else if (c == '*') {
				regex.append("[^/]*");
			}
			else if (c == '?') {
				regex.append("[^/]");
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

}
