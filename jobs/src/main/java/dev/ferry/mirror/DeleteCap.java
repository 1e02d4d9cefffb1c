package dev.ferry.mirror;

/**
 * The most objects one run may delete from a target: a count, or a percentage of the
 * objects the target holds under its prefix. A source that lists empty (a wrong prefix, a
 * permission gone) must not wipe the target, so deleting everything takes an explicit
 * {@code 100%}.
 *
 * @param value the count, or the percentage
 * @param percent whether {@code value} is a percentage
 */
record DeleteCap(long value, boolean percent) {

	static DeleteCap parse(String text) {
		boolean percent = text.endsWith("%");
		String digits = percent ? text.substring(0, text.length() - 1) : text;
		try {
			return new DeleteCap(Long.parseLong(digits), percent);
		}
		catch (NumberFormatException ex) {
			return new DeleteCap(Long.MAX_VALUE, percent);
		}
	}

	boolean valid() {
		return !this.percent || this.value <= 100;
	}

	/** The most deletions of a target holding {@code targetObjects} objects. */
	long limit(long targetObjects) {
		return this.percent ? targetObjects * this.value / 100 : this.value;
	}

	/** Whether the cap allows emptying the target: only an explicit 100%. */
	boolean allowsWipe() {
		return this.percent && this.value == 100;
	}

	@Override
	public String toString() {
		return this.percent ? this.value + "%" : String.valueOf(this.value);
	}

}
