package dev.ferry.testkit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Self-test of {@link ServerProcess}: a server child never outlives the JVM that started
 * it, even when that JVM is killed with SIGKILL (no shutdown hooks run then).
 */
class ServerProcessTest {

	@Test
	void closeStopsTheChild(@TempDir Path dir) {
		ServerProcess process = ServerProcess.start("sleeper", List.of("sleep", "300"), dir, dir.resolve("out.log"));
		long pid = process.pid();
		// the watchdog shell execs the server: the pid is the server's own
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(ProcessHandle.of(pid).flatMap((handle) -> handle.info().command()))
				.hasValueSatisfying((command) -> assertThat(command).endsWith("sleep")));
		process.close();
		process.close();
		assertThat(process.isAlive()).isFalse();
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
	}

	@Test
	void childDiesWhenItsJvmIsKilled(@TempDir Path dir) throws Exception {
		Process jvm = new ProcessBuilder(ServerSupport.javaExecutable(), "-cp", System.getProperty("java.class.path"),
				Child.class.getName(), dir.toString())
			.redirectErrorStream(true)
			.start();
		long serverPid;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			do {
				line = out.readLine();
			}
			while (line != null && !line.startsWith("pid="));
			assertThat(line).as("child JVM output").isNotNull();
			serverPid = Long.parseLong(line.substring("pid=".length()));
			assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).isPresent();
			jvm.destroyForcibly();
			assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).isEmpty());
	}

	/** Starts a "server" and waits to be killed. */
	static final class Child {

		public static void main(String[] args) throws InterruptedException {
			Path dir = Path.of(args[0]);
			ServerProcess process = ServerProcess.start("sleeper", List.of("sleep", "300"), dir,
					dir.resolve("out.log"));
			System.out.println("pid=" + process.pid());
			System.out.flush();
			// until the test kills this process
			new java.util.concurrent.CountDownLatch(1).await();
		}

	}

}
