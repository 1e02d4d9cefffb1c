package dev.ferry.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Small helpers shared by the test servers: free ports, state directories, the running
 * JVM's {@code java} executable, log tails and deadline-bounded polling.
 * <p>
 * Stateless and thread-safe. Uses the JDK only, so that it also works in the demo program
 * (which has none of the test libraries).
 */
final class ServerSupport {

	/** Loopback address every test server binds to. */
	static final String LOOPBACK = "127.0.0.1";

	/**
	 * System property naming the directory for per-JVM server state (surefire sets it).
	 */
	static final String WORK_DIR_PROPERTY = "ferry.testkit.work-dir";

	private ServerSupport() {
	}

	/**
	 * Returns a TCP port that was free on 127.0.0.1 a moment ago. Another process may
	 * take it before the caller binds it, so callers retry with a new port when binding
	 * fails.
	 * @return a port number
	 */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, ex);
		}
	}

	/**
	 * The base directory for state that lives as long as one test JVM: system property
	 * {@value #WORK_DIR_PROPERTY} (surefire sets {@code target/test-servers}), else
	 * {@code java.io.tmpdir/ferry-testkit}.
	 * @return an existing directory
	 */
	static Path workDir() {
		String configured = System.getProperty(WORK_DIR_PROPERTY);
		Path dir = (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Path.of(System.getProperty("java.io.tmpdir"), "ferry-testkit");
		return createDirectories(dir.toAbsolutePath());
	}

	/**
	 * Creates a new, empty directory under {@link #workDir()}.
	 * @param prefix name prefix, for example {@code "sftp-"}
	 * @return the new directory
	 */
	static Path newTempDir(String prefix) {
		try {
			return Files.createTempDirectory(workDir(), prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create a directory under " + workDir(), ex);
		}
	}

	static Path createDirectories(Path dir) {
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create directory " + dir, ex);
		}
	}

	/**
	 * Deletes a directory tree, ignoring files that vanish or cannot be deleted.
	 * @param dir the directory; nothing happens if it does not exist
	 */
	static void deleteQuietly(Path dir) {
		if (dir == null || !Files.exists(dir)) {
			return;
		}
		try {
			Files.walkFileTree(dir, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
					deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException exc) {
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path directory, IOException exc) {
					deleteIfExists(directory);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			// best effort
		}
	}

	private static void deleteIfExists(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// best effort
		}
	}

	/**
	 * The {@code java} executable of the running JVM.
	 * @return absolute path of the java launcher
	 */
	static String javaExecutable() {
		return ProcessHandle.current()
			.info()
			.command()
			.filter((command) -> Files.isExecutable(Path.of(command)))
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/**
	 * The last lines of a (log) file, read from its last 64 KiB.
	 * @param file the file
	 * @param maxLines how many lines at most
	 * @return the tail, or a note that the file is missing or unreadable
	 */
	static String tail(Path file, int maxLines) {
		if (file == null || !Files.isRegularFile(file)) {
			return "(no log file " + file + ")";
		}
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
			long length = raf.length();
			long start = Math.max(0, length - 64 * 1024);
			byte[] bytes = new byte[(int) (length - start)];
			raf.seek(start);
			raf.readFully(bytes);
			String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
			int from = Math.max(0, lines.length - maxLines);
			StringBuilder result = new StringBuilder();
			for (int i = from; i < lines.length; i++) {
				result.append(lines[i]).append('\n');
			}
			return result.toString();
		}
		catch (IOException ex) {
			return "(cannot read " + file + ": " + ex + ")";
		}
	}

	/**
	 * Polls {@code condition} every {@code interval} until it holds, {@code failFast}
	 * returns a failure message, or {@code timeout} passes.
	 * @param what what is awaited, for the message
	 * @param timeout the deadline
	 * @param interval pause between polls
	 * @param condition the condition; exceptions count as "not yet"
	 * @param failFast returns a non-null message when waiting is pointless (for example
	 * the process died)
	 * @return {@code null} when the condition holds, else the reason it does not
	 */
	static String awaitCondition(String what, Duration timeout, Duration interval, BooleanSupplier condition,
			Supplier<String> failFast) {
		AtomicReference<String> failure = new AtomicReference<>();
		try {
			Awaitility.await(what)
				.atMost(timeout)
				.pollInterval(interval)
				.ignoreExceptions()
				.until(() -> condition.getAsBoolean()
						|| failure.updateAndGet(known -> (known != null) ? known : failFast.get()) != null);
		}
		catch (ConditionTimeoutException ex) {
			return "timed out after " + timeout.toSeconds() + " s waiting for " + what;
		}
		return failure.get();
	}

	/**
	 * Reads a duration in seconds from a system property.
	 * @param property the property name
	 * @param defaultSeconds used when the property is not set
	 * @return the duration
	 */
	static Duration secondsProperty(String property, long defaultSeconds) {
		String value = System.getProperty(property);
		return Duration.ofSeconds((value != null && !value.isBlank()) ? Long.parseLong(value.trim()) : defaultSeconds);
	}

}
