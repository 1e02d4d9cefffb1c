package dev.ferry.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's build step, minus Docker: extract the jar, train an AOT cache with the
 * demo's {@code --train-aot-cache}, and start the extracted jar with
 * {@code -XX:AOTMode=on}, which refuses to start unless the JVM can use the cache.
 */
class AotCacheTrainingTest {

	/** The production jar; the reactor builds the jobs module before this one. */
	static final Path FERRY_JAR = Path.of("../jobs/target/ferry.jar");

	@Test
	void aTrainingDumpWritesACacheThatTheImagesLaunchUses(@TempDir Path dir) throws Exception {
		assertThat(FERRY_JAR).as("the jobs module's jar (build the whole reactor: ./mvnw verify)").isRegularFile();
		Path app = dir.resolve("app");
		Process extract = java(dir, "-Djarmode=tools", "-jar", FERRY_JAR.toString(), "extract", "--destination",
				app.toString());
		assertThat(extract.exitValue()).as(output(dir)).isZero();

		Path cache = app.resolve("ferry.aot");
		int exitCode = new FerryDemo(dir.resolve("state"), app.resolve("ferry.jar"), false, cache).run();

		assertThat(exitCode).isZero();
		assertThat(Files.size(cache)).as("cache size").isGreaterThan(10L * 1024 * 1024);
		// the options of the Dockerfile's ENTRYPOINT, and AOTMode=on to fail if the cache
		// is unusable
		Process version = java(dir, "-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + cache,
				"-XX:AOTMode=on", "-jar", app.resolve("ferry.jar").toString(), "--version");
		assertThat(version.exitValue()).as(output(dir)).isZero();
		assertThat(output(dir)).startsWith("ferry ");
	}

	private static Process java(Path dir, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("java.out").toFile())
			.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		return process;
	}

	private static String output(Path dir) throws IOException {
		return Files.readString(dir.resolve("java.out"), StandardCharsets.UTF_8);
	}

}
