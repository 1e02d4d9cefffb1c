package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server program run as a child process of this JVM, with its standard output and error
 * appended to a log file. The child can never outlive this JVM:
 * <ul>
 * <li>{@link #close()} stops it (SIGTERM, SIGKILL after a grace period);</li>
 * <li>a shutdown hook does the same when the JVM exits normally;</li>
 * <li>and the child is started through a tiny {@code /bin/sh} watchdog that execs the
 * server and keeps a background subshell reading this JVM's end of a pipe: when this JVM
 * dies in any way (even SIGKILL), the pipe closes and the subshell sends SIGTERM to the
 * server.</li>
 * </ul>
 * Because the shell {@code exec}s the server, {@link #pid()} is the server's own pid.
 * <p>
 * Thread-safe: {@link #close()} may be called from any thread, any number of times.
 */
final class ServerProcess implements AutoCloseable {

	/**
	 * {@code $0} is the name, {@code $@} the server command. fd 3 keeps the pipe from
	 * this JVM for the watchdog subshell only; the server gets /dev/null as stdin.
	 */
	private static final String WATCHDOG = """
			exec 3<&0 </dev/null
			( while read -r _ <&3; do :; done; kill -TERM $$ 2>/dev/null ) &
			exec "$@" 3<&-
			""";

	private final String name;

	private final Process process;

	private final Path logFile;

	private final Thread shutdownHook;

	private ServerProcess(String name, Process process, Path logFile) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.shutdownHook = new Thread(() -> stop(3), "ferry-testkit-stop-" + name);
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		// as soon as the server exits by itself, release the watchdog
		process.onExit().thenRun(this::closeStdin);
	}

	/**
	 * Starts {@code command} in {@code workDir}, appending its output to {@code logFile}.
	 * @param name short name for messages and thread names
	 * @param command the server command line
	 * @param workDir working directory of the child
	 * @param logFile file that receives stdout and stderr (appended)
	 * @return the running child
	 */
	static ServerProcess start(String name, List<String> command, Path workDir, Path logFile) {
		List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, name));
		wrapped.addAll(command);
		ProcessBuilder builder = new ProcessBuilder(wrapped).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
			.redirectInput(ProcessBuilder.Redirect.PIPE);
		try {
			return new ServerProcess(name, builder.start(), logFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), ex);
		}
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	Path logFile() {
		return this.logFile;
	}

	/**
	 * @param lines how many lines
	 * @return the last lines of the log file
	 */
	String logTail(int lines) {
		return ServerSupport.tail(this.logFile, lines);
	}

	/**
	 * @return {@code null} while the process runs, else a message with its exit code
	 */
	String deathNotice() {
		if (this.process.isAlive()) {
			return null;
		}
		return this.name + " exited with code " + this.process.exitValue();
	}

	/** Stops the child: SIGTERM, then SIGKILL after 10 s. Idempotent. */
	@Override
	public void close() {
		stop(10);
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down already: the hook runs (or ran) anyway
		}
	}

	private void stop(int graceSeconds) {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
					this.process.waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		closeStdin();
	}

	private void closeStdin() {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + this.process.pid() + ", log " + this.logFile + ")";
	}

}
