package dev.ferry.testkit;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server per JVM, started on first use. The JUnit extensions register it in the root
 * {@link ExtensionContext} store, which closes it when the test run ends; code outside
 * JUnit (for example a {@code @DynamicPropertySource} method that runs before the
 * extension) can use {@link #get()} directly, and then the JVM's exit stops child
 * processes (see {@link ServerProcess}).
 * <p>
 * A failed start is remembered: later callers fail at once with the same cause instead of
 * waiting for another timeout.
 * <p>
 * Thread-safe.
 *
 * @param <T> the server type
 */
final class SharedServer<T extends AutoCloseable> {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServer.class);

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
			}
			catch (RuntimeException ex) {
				this.failure = ex;
				throw ex;
			}
		}
		return this.server;
	}

	/**
	 * Starts the server if needed and makes the root store close it at the end of the
	 * run.
	 * @param context any extension context
	 * @return the running server
	 */
	T get(ExtensionContext context) {
		context.getRoot().getStore(NAMESPACE).computeIfAbsent(this, (key) -> new Closer(this), Closer.class);
		return get();
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

	/** The root store closes {@link AutoCloseable} values when the test run ends. */
	private record Closer(SharedServer<?> shared) implements AutoCloseable {

		@Override
		public void close() throws Exception {
			this.shared.close();
		}

	}

}
