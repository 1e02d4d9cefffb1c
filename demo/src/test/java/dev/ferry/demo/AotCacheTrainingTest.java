package dev.ferry.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
		FerryJar.Result extract = new FerryJar(FERRY_JAR, List.of("-Djarmode=tools")).run(Map.of(),
				List.of("extract", "--destination", app.toString()), line -> {
				});
		assertThat(extract.exitCode()).as(String.join("\n", extract.lines())).isZero();

		Path cache = app.resolve("ferry.aot");
		int exitCode = new FerryDemo(dir.resolve("state"), app.resolve("ferry.jar"), false, cache).run();

		assertThat(exitCode).isZero();
		assertThat(Files.size(cache)).as("cache size").isGreaterThan(10L * 1024 * 1024);
		// the options of the Dockerfile's ENTRYPOINT, and AOTMode=on to fail if the cache
		// is unusable
		FerryJar.Result version = new FerryJar(app.resolve("ferry.jar"), List.of("-XX:MaxRAMPercentage=75",
				"-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + cache, "-XX:AOTMode=on"))
			.run(Map.of(), List.of("--version"), line -> {
			});
		assertThat(version.exitCode()).as(String.join("\n", version.lines())).isZero();
		assertThat(version.lines()).first().asString().startsWith("ferry ");
	}

}
