package dev.ferry.testkit;

import java.util.function.Supplier;

/**
 * One server per JVM, started on first use and stopped by a shutdown hook when the JVM
 * exits (a child process would stop anyway, see {@link ServerProcess}; the hook also
 * deletes its state). Not by JUnit's root store: with Surefire's {@code forkCount} above
 * 1 each test class is a run of its own, whose end would stop a server that fixtures of
 * later classes still hold in static fields.
 * <p>
 * A failed start is remembered: later callers fail at once with the same cause instead of
 * waiting for another timeout.
 * <p>
 * Thread-safe.
 *
 * @param <T> the server type
 */
final class SharedServer<T extends AutoCloseable> {

	private final String name;

	private final Supplier<T> starter;

	private T server;

	private RuntimeException failure;

	SharedServer(String name, Supplier<T> starter) {
		this.name = name;
		this.starter = starter;
	}

	/**
	 * @return the running server, started now if needed
	 */
	synchronized T get() {
		if (this.failure != null) {
			throw new IllegalStateException(
					this.name + " failed to start earlier in this JVM: " + this.failure.getMessage(), this.failure);
		}
		if (this.server == null) {
			try {
				this.server = this.starter.get();
				Runtime.getRuntime().addShutdownHook(new Thread(this::closeQuietly, "stop " + this.name));
			}
			catch (RuntimeException ex) {
				this.failure = ex;
				throw ex;
			}
		}
		return this.server;
	}

	synchronized void close() throws Exception {
		T running = this.server;
		this.server = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public String toString() {
		return "SharedServer[" + this.name + "]";
	}

	private void closeQuietly() {
		try {
			close();
		}
		catch (Exception ex) {
			// the JVM is exiting: say so on stderr, nothing else can
			System.err.println("Could not stop " + this.name + ": " + ex);
		}
	}

}
