package dev.ferry.ingest;

import java.util.Locale;

/**
 * The states of a ledger row, which only move forward (the table's trigger refuses
 * anything else): {@code listed -> downloaded -> scanned -> uploaded | quarantined ->
 * source_cleaned}, or {@code rejected} / {@code failed}.
 */
enum FileState {

	LISTED, DOWNLOADED, SCANNED, UPLOADED, QUARANTINED, SOURCE_CLEANED, REJECTED, FAILED;

	/** The name in the ledger's {@code state} column. */
	String column() {
		return name().toLowerCase(Locale.ROOT);
	}

	static FileState of(String column) {
		return valueOf(column.toUpperCase(Locale.ROOT));
	}

}
