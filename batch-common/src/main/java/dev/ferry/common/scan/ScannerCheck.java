package dev.ferry.common.scan;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The fail-closed check of a clamd before anything moves. clamd answers {@code OK} to
 * everything when it has no signatures loaded, and, without {@code AlertExceedsMax yes},
 * to content past its {@code MaxFileSize}/{@code MaxScanSize} that it never scanned; a
 * run that trusted such a scanner would pass malware as clean. So:
 * <ol>
 * <li>{@code PING} must answer {@code PONG}, and {@code VERSION} a version (it goes into
 * every report);</li>
 * <li>the EICAR test file must come back {@code FOUND};</li>
 * <li>a probe one byte over Ferry's own scan-size limit must <b>not</b> come back
 * {@code OK}: clamd must refuse it ({@code INSTREAM size limit exceeded}) or report
 * {@code Heuristics.Limits.Exceeded...}. Ferry itself never sends a file over its limit,
 * so every file it does send is one clamd scans whole.</li>
 * </ol>
 * Thread-safe: stateless.
 */
public final class ScannerCheck {

	/**
	 * The EICAR anti-virus test file, reversed so that Ferry's own jar does not alarm
	 * virus scanners.
	 */
	private static final String EICAR_REVERSED = "*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\\4[PA@%P!O5X";

	private ScannerCheck() {
	}

	/**
	 * Runs the checks.
	 * @param clamd the scanner
	 * @param maxScanSize Ferry's scan-size limit in bytes: larger files are unscannable
	 * @param maxScanSizeProperty where that limit is configured, for messages
	 * @return clamd's version
	 * @throws ScannerRefusedException when a check fails; the message says which clamd
	 * setting to fix
	 * @throws ScannerUnavailableException when clamd cannot be reached
	 */
	public static String verify(ClamdClient clamd, long maxScanSize, String maxScanSizeProperty) {
		String pong = clamd.ping();
		if (!"PONG".equals(pong)) {
			throw new ScannerRefusedException(clamd.describe() + " answered PING with '" + pong
					+ "' instead of PONG: is that port a clamd? Fix the scanner's host and port");
		}
		String version = clamd.version();
		if (!version.startsWith("ClamAV ")) {
			throw new ScannerRefusedException(clamd.describe() + " answered VERSION with '" + version
					+ "', not a ClamAV version: is that port a clamd? Fix the scanner's host and port");
		}
		ScanResult eicar = clamd.scan(new ByteArrayInputStream(eicar()));
		if (eicar.verdict() != ScanResult.Verdict.INFECTED) {
			throw new ScannerRefusedException(clamd.describe() + " (" + version
					+ ") did not detect the EICAR test file (it answered '" + eicar.answer()
					+ "'): it has no usable signatures loaded, and would pass malware as clean."
					+ " Check its DatabaseDirectory and freshclam; nothing was moved");
		}
		ScanResult probe = clamd.scan(new ZeroStream(maxScanSize + 1));
		if (probe.verdict() == ScanResult.Verdict.CLEAN) {
			throw new ScannerRefusedException(clamd.describe() + " (" + version + ") answered OK to a probe of "
					+ (maxScanSize + 1) + " bytes, one byte over Ferry's scan-size limit (" + maxScanSizeProperty
					+ " = " + maxScanSize + " bytes): it may answer OK for files it did not scan whole."
					+ " Run clamd with 'AlertExceedsMax yes' and with StreamMaxLength, MaxFileSize and MaxScanSize"
					+ " at least " + maxScanSize + " bytes, such that a stream one byte longer is refused"
					+ " (simplest: all three equal to it), or set " + maxScanSizeProperty
					+ " to clamd's limit; nothing was moved");
		}
		return version;
	}

	/** The 68-byte EICAR test file. */
	static byte[] eicar() {
		return new StringBuilder(EICAR_REVERSED).reverse().toString().getBytes(StandardCharsets.US_ASCII);
	}

}
