package dev.ferry.mirror;

import org.jspecify.annotations.Nullable;

/**
 * What a source object is to the target.
 *
 * @param source the source object
 * @param target the target object of the same relative key, or null
 * @param kind new, changed or unchanged
 */
record Difference(ListedObject source, @Nullable ListedObject target, Kind kind) {

	enum Kind {

		/** Only in the source. */
		NEW,

		/** In both, with other content. */
		CHANGED,

		/** In both, with the same content: nothing to copy. */
		UNCHANGED

	}

	boolean transfers() {
		return this.kind != Kind.UNCHANGED;
	}

	String key() {
		return this.source.key();
	}

}
