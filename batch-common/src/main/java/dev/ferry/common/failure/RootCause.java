package dev.ferry.common.failure;

import java.util.HashSet;
import java.util.Set;

/**
 * One line that says why something failed: the top-level message, and the deepest cause
 * when it is another exception ("Could not upload 'x' (root cause:
 * java.net.ConnectException: Connection refused)").
 */
public final class RootCause {

	private RootCause() {
	}

	public static Throwable of(Throwable throwable) {
		Throwable root = throwable;
		Set<Throwable> seen = new HashSet<>();
		while (root.getCause() != null && seen.add(root)) {
			root = root.getCause();
		}
		return root;
	}

	public static String describe(Throwable throwable) {
		Throwable root = of(throwable);
		String top = describeOne(throwable);
		if (root == throwable) {
			return top;
		}
		return top + " (root cause: " + describeOne(root) + ")";
	}

	private static String describeOne(Throwable throwable) {
		String message = throwable.getMessage();
		String name = throwable.getClass().getName();
		return (message != null) ? name + ": " + message.strip() : name;
	}

}
