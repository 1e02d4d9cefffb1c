package dev.ferry.common.fatal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link Error} that ended the work of a worker thread: a step, a partition, a thread
 * of a pool. After an Error the JVM may not be able to finish the run (an
 * OutOfMemoryError can strike any thread, and a thread that died of one may leave a lock
 * or a connection behind), so the run fails, and the operator is told what to change.
 *
 * @param where what the thread was doing, e.g. {@code step 'dumpTable:public.orders'}
 * @param error the Error
 */
public record WorkerError(String where, Throwable error) {

	private static final long MIB = 1024 * 1024;

	/** The first Error in the cause chain (or among the suppressed) of a failure. */
	public static Optional<Throwable> errorIn(Throwable failure) {
		return errorIn(failure, new HashSet<>());
	}

	private static Optional<Throwable> errorIn(Throwable failure, Set<Throwable> seen) {
		for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
			if (cause instanceof Error) {
				return Optional.of(cause);
			}
			for (Throwable suppressed : cause.getSuppressed()) {
				Optional<Throwable> error = errorIn(suppressed, seen);
				if (error.isPresent()) {
					return error;
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * One line for the operator: where, which Error, and what to change, e.g.
	 * {@code step 'dumpTable:public.orders' failed with java.lang.OutOfMemoryError: Java
	 * heap space: ...raise -Xmx...}.
	 */
	public String describe() {
		String message = this.error.getMessage();
		return this.where + " failed with " + this.error.getClass().getName()
				+ ((message != null) ? ": " + message.strip() : "") + ". " + advice();
	}

	private String advice() {
		if (!(this.error instanceof OutOfMemoryError)) {
			return "An Error leaves the JVM in a state it may not recover from, so the run fails; the stack"
					+ " trace is in the log.";
		}
		String message = String.valueOf(this.error.getMessage()).toLowerCase(Locale.ROOT);
		if (message.contains("metaspace") || message.contains("direct buffer") || message.contains("native thread")) {
			return "The JVM ran out of memory outside its heap: raise the container's memory limit (or the JVM"
					+ " option the message names).";
		}
		// the image sizes its heap with -XX:MaxRAMPercentage, so the pod's limit is what
		// an operator usually changes
		return "The JVM's heap (at most " + Runtime.getRuntime().maxMemory() / MIB + " MiB) is too small for this"
				+ " run: raise it with -Xmx, or raise the container's memory limit (the heap is a share of it,"
				+ " -XX:MaxRAMPercentage).";
	}

}
