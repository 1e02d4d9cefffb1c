package dev.ferry.ingest;

/**
 * What a source unpacks before the verdict
 * ({@code ferry.ingest.sources.<name>.decompress}). Only files whose name says so are
 * unpacked; any other file of the source is scanned as it is (clamd looks inside the
 * archives it knows on its own).
 */
enum Decompress {

	/** Files are scanned and uploaded as they are. */
	OFF,

	/**
	 * A file named {@code x.gz} is unpacked into staging; the unpacked content is scanned
	 * and, when clean, uploaded as {@code x}. The {@code .gz} itself is what a quarantine
	 * keeps.
	 */
	GZ,

	/**
	 * A file named {@code x.zip} is walked entry by entry (nested archives too), each
	 * entry scanned on its own, then the whole archive once more; only when all are clean
	 * is the archive uploaded, unchanged, as {@code x.zip}.
	 */
	ZIP

}
