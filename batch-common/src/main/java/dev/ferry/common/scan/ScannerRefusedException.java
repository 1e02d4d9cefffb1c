package dev.ferry.common.scan;

/**
 * A scanner failed the check that precedes every run ({@link ScannerCheck}): trusting it
 * could pass malware as clean, so nothing moves.
 */
public class ScannerRefusedException extends IllegalStateException {

	public ScannerRefusedException(String message) {
		super(message);
	}

}
