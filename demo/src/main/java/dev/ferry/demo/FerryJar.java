package dev.ferry.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the production jar ({@code java -jar ferry.jar <command>}) in a child JVM, the way
 * a CronJob pod runs it: configuration in environment variables, nothing else. The
 * child's stdout and stderr are merged and handed over line by line as they come.
 * <p>
 * Immutable and thread-safe; each call starts its own process and waits for it.
 */
final class FerryJar {

	private final Path jar;

	private final List<String> jvmOptions;

	FerryJar(Path jar, List<String> jvmOptions) {
		this.jar = jar;
		this.jvmOptions = List.copyOf(jvmOptions);
	}

	/** What a command printed, and how it ended. */
	record Result(int exitCode, List<String> lines) {
	}

	/**
	 * Runs {@code ferry <arguments>} and waits for it.
	 * @param environment variables added to this JVM's environment for the child
	 * @param arguments the CLI arguments
	 * @param lineConsumer gets each output line as the child prints it
	 * @return the exit code and every line printed
	 */
	Result run(Map<String, String> environment, List<String> arguments, Consumer<String> lineConsumer) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(this.jvmOptions);
		command.add("-jar");
		command.add(this.jar.toString());
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		builder.environment().putAll(environment);
		List<String> lines = new ArrayList<>();
		try {
			Process process = builder.start();
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					lines.add(line);
					lineConsumer.accept(line);
				}
			}
			return new Result(process.waitFor(), lines);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", arguments), ex);
		}
	}

	@Override
	public String toString() {
		return "java -jar " + this.jar;
	}

}
