package dev.ferry.common.failure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One line that says why something failed: each exception of the cause chain with its
 * message, outermost first ("Unable to process chunk; caused by
 * java.net.ConnectException: Connection refused"). Spring Batch wraps the exception that
 * matters in its own, so the chain is what tells an operator what happened. (For the
 * innermost cause alone, use Spring's
 * {@link org.springframework.core.NestedExceptionUtils#getMostSpecificCause}.)
 */
public final class RootCause {

	private RootCause() {
	}

	public static String describe(Throwable throwable) {
		List<String> parts = new ArrayList<>();
		for (Throwable cause : chain(throwable)) {
			String part = describeOne(cause);
			// wrappers often repeat their cause's message: say it once
			if (parts.isEmpty() || !parts.getLast().endsWith(part)) {
				parts.add(part);
			}
		}
		return String.join("; caused by ", parts);
	}

	/**
	 * Every exception of the chain, outermost first. A loop of its own, as Spring has
	 * none that lists the chain; stops at a cause seen before, so a cyclic chain ends.
	 */
	private static List<Throwable> chain(Throwable throwable) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = new HashSet<>();
		for (Throwable cause = throwable; cause != null && seen.add(cause); cause = cause.getCause()) {
			chain.add(cause);
		}
		return chain;
	}

	private static String describeOne(Throwable throwable) {
		String message = throwable.getMessage();
		String name = throwable.getClass().getName();
		return (message != null) ? name + ": " + message.strip() : name;
	}

}
