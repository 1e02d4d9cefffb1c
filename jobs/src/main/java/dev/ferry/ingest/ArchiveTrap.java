package dev.ferry.ingest;

/**
 * Why Ferry will not trust what an archive holds: a name that escapes its directory, a
 * bomb, too many entries, nesting too deep, encryption, corruption. The file is
 * unscannable; {@link #signature()} goes into the ledger's {@code signature} and the
 * quarantine report, in clamd's style so that one query finds all of a kind.
 */
final class ArchiveTrap extends Exception {

	private final Kind kind;

	ArchiveTrap(Kind kind, String detail) {
		super(detail);
		this.kind = kind;
	}

	ArchiveTrap(Kind kind, String detail, Throwable cause) {
		super(detail, cause);
		this.kind = kind;
	}

	Kind kind() {
		return this.kind;
	}

	/** {@code Ferry.Archive.<Kind>: <detail>}. */
	String signature() {
		return "Ferry.Archive." + this.kind.label + ": " + getMessage();
	}

	/** The traps, by the name they carry in the ledger. */
	enum Kind {

		/** An entry name that is absolute, holds {@code ..}, a control character... */
		UNSAFE_NAME("UnsafeName"),

		/** Two entries of one name: only one of them would be scanned, or extracted. */
		DUPLICATE_NAME("DuplicateName"),

		/** More unpacked bytes than {@code max-size} or the scan-size limit. */
		TOO_LARGE("TooLarge"),

		/** More unpacked bytes per byte of the file than {@code max-ratio}. */
		RATIO("Ratio"),

		/** More entries than {@code max-entries}. */
		TOO_MANY_ENTRIES("TooManyEntries"),

		/** Archives nested deeper than {@code max-depth}. */
		TOO_DEEP("TooDeep"),

		/** An encrypted entry: its content cannot be scanned. */
		ENCRYPTED("Encrypted"),

		/** Not a readable archive of its kind. */
		CORRUPT("Corrupt");

		private final String label;

		Kind(String label) {
			this.label = label;
		}

	}

}
