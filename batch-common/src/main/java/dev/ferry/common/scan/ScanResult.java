package dev.ferry.common.scan;

import org.jspecify.annotations.Nullable;

/**
 * clamd's verdict on one stream, read from its answer.
 *
 * @param verdict what the answer means for the file
 * @param signature the signature clamd named ({@code Eicar-Test-Signature},
 * {@code Heuristics.Limits.Exceeded.MaxFileSize}), or null
 * @param answer clamd's answer as it was, for the ledger and reports
 */
public record ScanResult(Verdict verdict, @Nullable String signature, String answer) {

	/** clamd's names for "a limit stopped the scan" when it runs with AlertExceedsMax. */
	static final String LIMITS_EXCEEDED = "Heuristics.Limits.Exceeded";

	/**
	 * Reads an INSTREAM answer. Only {@code stream: OK} is clean; {@code <sig> FOUND} is
	 * infected unless the signature says a limit stopped the scan; everything else (the
	 * size limit error, any other error, an answer this client does not know) is
	 * unscannable: fail closed.
	 * @param answer the answer without its terminating NUL
	 * @return the verdict
	 */
	public static ScanResult parse(String answer) {
		String text = answer.strip();
		if (text.equals("stream: OK")) {
			return new ScanResult(Verdict.CLEAN, null, text);
		}
		if (text.startsWith("stream: ") && text.endsWith(" FOUND")) {
			String signature = text.substring("stream: ".length(), text.length() - " FOUND".length()).strip();
			Verdict verdict = signature.startsWith(LIMITS_EXCEEDED) ? Verdict.UNSCANNABLE : Verdict.INFECTED;
			return new ScanResult(verdict, signature, text);
		}
		return new ScanResult(Verdict.UNSCANNABLE, null, text);
	}

	/** A result for a file Ferry did not send, with the reason. */
	public static ScanResult unscannable(String reason) {
		return new ScanResult(Verdict.UNSCANNABLE, null, reason);
	}

	/** What a scan means for the file. */
	public enum Verdict {

		/**
		 * clamd scanned the whole stream and found nothing: the only verdict that passes.
		 */
		CLEAN,

		/** clamd found a signature. */
		INFECTED,

		/**
		 * clamd did not scan the whole stream (a size limit, an error) or said something
		 * this client does not understand: never passed as clean.
		 */
		UNSCANNABLE

	}

}
