package dev.ferry.common.scan;

/**
 * clamd could not be reached or gave no answer: nothing is known about the file, which
 * waits for the next run. Not a verdict.
 */
public class ScannerUnavailableException extends RuntimeException {

	public ScannerUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
