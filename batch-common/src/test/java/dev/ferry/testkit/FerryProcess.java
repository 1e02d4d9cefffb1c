package dev.ferry.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs Ferry in a child JVM, as a CronJob pod would, so that tests can kill it for real:
 * SIGKILL when a condition holds (after N chunks committed, at a log line), or SIGTERM as
 * a pod eviction does. By default the child runs the test JVM's own classpath (so
 * test-only jobs exist in it); {@link Builder#jar} runs a packaged jar instead.
 * Configuration goes in through environment variables, as it does on OpenShift; the
 * output is captured line by line.
 * <p>
 * Thread-safe: the output list is read while a reader thread appends to it.
 */
public final class FerryProcess implements AutoCloseable {

	private static final String MAIN_CLASS = "dev.ferry.FerryApplication";

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread pump;

	private FerryProcess(Process process) {
		this.process = process;
		this.pump = Thread.ofPlatform().daemon().name("ferry-child-output").start(this::pumpOutput);
	}

	public static Builder builder() {
		return new Builder();
	}

	private void pumpOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			this.lines.add("[FerryProcess: output stream failed: " + ex + "]");
		}
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Everything the child printed so far (stdout and stderr, interleaved). */
	public String output() {
		return String.join("\n", this.lines);
	}

	/**
	 * Waits until a line matches, failing with the output if the child ends first or time
	 * runs out.
	 */
	public String awaitLine(Predicate<String> matcher, Duration timeout) {
		try {
			await("the expected line", timeout).until(() -> this.lines.stream().anyMatch(matcher) || hasEnded());
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"Ferry did not print the expected line within " + timeout + "; output:\n" + output());
		}
		// once the child and the pump have ended, every line it printed is in
		return this.lines.stream()
			.filter(matcher)
			.findFirst()
			.orElseThrow(() -> new AssertionError("Ferry exited with " + this.process.exitValue()
					+ " before printing the expected line; output:\n" + output()));
	}

	private boolean hasEnded() {
		return !this.process.isAlive() && !this.pump.isAlive();
	}

	/**
	 * Kills the child with SIGKILL as soon as the condition holds (checked every few
	 * milliseconds), as the kernel's OOM killer or a node failure would: no shutdown
	 * hook, no chance to tidy up.
	 */
	public void killWhen(BooleanSupplier condition, Duration timeout) {
		AtomicBoolean held = new AtomicBoolean();
		try {
			await("the kill condition", timeout).until(() -> {
				held.set(condition.getAsBoolean());
				return held.get() || !this.process.isAlive();
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("The kill condition did not hold within " + timeout + "; output:\n" + output());
		}
		if (!held.get()) {
			throw new AssertionError("Ferry exited with " + this.process.exitValue()
					+ " before the kill condition held; output:\n" + output());
		}
		kill();
	}

	/** Polls every few milliseconds, from the start: a crash test kills at a moment. */
	private static ConditionFactory await(String what, Duration timeout) {
		return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
	}

	/** SIGKILL now, and wait for the process to be gone. */
	public void kill() {
		// through the handle: Process.destroyForcibly() would also close our end of the
		// output
		this.process.toHandle().destroyForcibly();
		waitFor(Duration.ofSeconds(30));
	}

	/** SIGTERM, as a pod eviction sends. */
	public void terminate() {
		// through the handle: Process.destroy() would also close our end of the output,
		// and the
		// lines the child prints while it stops would be lost
		this.process.toHandle().destroy();
	}

	/** Waits for the child to exit and returns its exit code. */
	public int waitFor(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				throw new AssertionError("Ferry did not exit within " + timeout + "; killed it. Output:\n" + output());
			}
			this.pump.join(Duration.ofSeconds(10));
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Ferry", ex);
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	/** What to run and with which environment. */
	public static final class Builder {

		private final Map<String, String> environment = new LinkedHashMap<>();

		private final List<String> jvmOptions = new ArrayList<>();

		private Path jar;

		private String mainClass = MAIN_CLASS;

		private Builder() {
		}

		/**
		 * Runs another main class of the test classpath, such as a test's own small
		 * Spring Batch application.
		 */
		public Builder mainClass(String mainClass) {
			this.mainClass = mainClass;
			return this;
		}

		/** Runs this executable jar instead of the test classpath. */
		public Builder jar(Path jar) {
			this.jar = jar;
			return this;
		}

		/**
		 * An environment variable of the child (how OpenShift hands over configuration).
		 */
		public Builder env(String name, String value) {
			this.environment.put(name, value);
			return this;
		}

		/** Environment variables for the process, added to those set so far. */
		public Builder envs(java.util.Map<String, String> variables) {
			this.environment.putAll(variables);
			return this;
		}

		/** The job repository database, as spring.datasource.* environment variables. */
		public Builder repository(PostgresDatabase database) {
			return settings(FerrySettings.repository(database));
		}

		/** Ferry's settings, as the environment variables of the child. */
		public Builder settings(FerrySettings settings) {
			return envs(settings.asEnvironment());
		}

		public Builder jvmOption(String option) {
			this.jvmOptions.add(option);
			return this;
		}

		/** Starts {@code ferry <arguments>}. */
		public FerryProcess start(String... arguments) {
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current().info().command().orElse("java"));
			command.add("-Xmx256m");
			// a test's child runs seconds on small data: the client compiler only, and
			// the
			// serial collector, take CPU off each start on the tests' 2 cores (where two
			// test JVMs and their servers share them)
			command.add("-XX:TieredStopAtLevel=1");
			command.add("-XX:+UseSerialGC");
			command.addAll(this.jvmOptions);
			if (this.jar != null) {
				command.add("-jar");
				command.add(this.jar.toString());
			}
			else {
				// what the jar's manifest says for java -jar: table-dump calls libdeflate
				command.add("--enable-native-access=ALL-UNNAMED");
				command.add("-cp");
				command.add(System.getProperty("java.class.path"));
				command.add(this.mainClass);
			}
			command.addAll(List.of(arguments));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().putAll(this.environment);
			try {
				return new FerryProcess(builder.start());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start Ferry: " + command, ex);
			}
		}

	}

}
