package dev.ferry.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Ceph RADOS Gateway (S3 API of Ceph 16, the production store), started by the
 * project's own test-server script {@code batch-common/src/test/ceph/start.sh <dataDir>}
 * (see the README beside it for the S3 quirks: path style, us-east-1, no aws-chunked
 * trailing checksums, SSE-KMS test keys, whose ids {@link #kmsKeyId()} reads).
 * <p>
 * The cluster (monitor, OSD, gateway) runs as daemons <b>outside</b> this JVM and keeps
 * running after it, so that later test JVMs find it: {@code start.sh} is idempotent
 * (about 1 s when everything runs, 5 s to restart stopped daemons, 17-20 s for the first
 * bootstrap, plus about 40 s the first time when it installs the Ceph packages with apt).
 * {@link #close()} therefore leaves it running; {@link #stop(Path, boolean)} stops it.
 * <p>
 * Finding {@code start.sh}: system property {@value #CEPH_DIR_PROPERTY} (the directory
 * holding it), else {@value #PROJECT_CEPH_DIR} in the nearest directory holding it,
 * walking up from the working directory. Surefire runs a module's tests in the module's
 * directory, so this finds the script of the checkout being built, whichever module the
 * test is in and whether or not the build was started with {@code -pl}; nothing outside
 * the checkout is needed.
 * <p>
 * State: the data directory (default {@value #DEFAULT_DATA_DIR}, system property
 * {@value #DATA_DIR_PROPERTY}) holds config, keys, the OSD's block file, logs
 * ({@code log/}) and pid files; the output of the last start is in
 * {@code <workDir>/ceph-start-<pid>.log}. Buckets persist across runs, so tests create
 * uniquely named buckets.
 * <p>
 * Thread-safe (immutable); {@code start.sh} itself serialises concurrent starts with a
 * lock file.
 */
public final class CephRgw implements AutoCloseable {

	/** The data directory used when none is given. */
	public static final String DEFAULT_DATA_DIR = "/tmp/ferry-ceph-rgw";

	/**
	 * Where the scripts live, relative to the project's root directory: the project ships
	 * its own so that a clone builds and tests with nothing beside it.
	 */
	public static final String PROJECT_CEPH_DIR = "batch-common/src/test/ceph";

	/** System property naming the directory that holds {@code start.sh}. */
	public static final String CEPH_DIR_PROPERTY = "ferry.testkit.ceph-dir";

	/** System property naming the data directory (default {@value #DEFAULT_DATA_DIR}). */
	public static final String DATA_DIR_PROPERTY = "ferry.testkit.ceph-data-dir";

	/** System property overriding the start timeout in seconds (default 600). */
	public static final String START_TIMEOUT_PROPERTY = "ferry.testkit.ceph-start-timeout";

	private final S3Endpoint endpoint;

	private final Path dataDir;

	private final Duration startTime;

	private CephRgw(S3Endpoint endpoint, Path dataDir, Duration startTime) {
		this.endpoint = endpoint;
		this.dataDir = dataDir;
		this.startTime = startTime;
	}

	/**
	 * Starts (or finds running) the gateway in the default data directory.
	 * @return the running gateway
	 * @see #start(Path)
	 */
	public static CephRgw start() {
		return start(defaultDataDir());
	}

	/**
	 * @return the data directory from {@value #DATA_DIR_PROPERTY}, else
	 * {@value #DEFAULT_DATA_DIR}
	 */
	public static Path defaultDataDir() {
		String configured = System.getProperty(DATA_DIR_PROPERTY);
		return Path.of((configured != null && !configured.isBlank()) ? configured : DEFAULT_DATA_DIR);
	}

	/**
	 * Runs {@code start.sh dataDir}, which bootstraps the cluster on first use, starts
	 * whatever is not running and waits until a signed S3 request succeeds.
	 * @param dataDir the cluster's data directory
	 * @return the running gateway
	 * @throws IllegalStateException if {@code start.sh} cannot be found, fails or times
	 * out; the message holds its output
	 */
	public static CephRgw start(Path dataDir) {
		return start(dataDir, Map.of());
	}

	/**
	 * Runs {@code start.sh dataDir} with extra environment variables, for example other
	 * ports ({@code CEPH_RGW_PORT}, {@code CEPH_MON_PORT}, {@code CEPH_MON_V1_PORT},
	 * {@code CEPH_PORT_MIN}, {@code CEPH_PORT_MAX}) so that a second cluster can run
	 * beside the tests' one. Ports are fixed when the data directory is created.
	 * @param dataDir the cluster's data directory
	 * @param environment variables added to this JVM's environment for {@code start.sh}
	 * @return the running gateway
	 * @throws IllegalStateException if {@code start.sh} cannot be found, fails or times
	 * out; the message holds its output
	 */
	public static CephRgw start(Path dataDir, Map<String, String> environment) {
		Path script = locateCephDir().resolve("start.sh");
		Path dir = dataDir.toAbsolutePath();
		long started = System.nanoTime();
		ScriptResult result = runScript(List.of("bash", script.toString(), dir.toString()), environment, "ceph-start",
				ServerSupport.secondsProperty(START_TIMEOUT_PROPERTY, 600));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("Ceph RGW did not start: " + script + " " + dir + " "
					+ result.describeExit() + "; its output (" + result.logFile() + "):\n" + result.tail(60)
					+ "Daemon logs are in " + dir.resolve("log") + ". A broken data dir can be reset with: "
					+ script.resolveSibling("stop.sh") + " " + dir + " --wipe");
		}
		Map<String, String> values = parse(result.output());
		String uri = values.get("S3_ENDPOINT");
		String accessKey = values.get("S3_ACCESS_KEY");
		String secretKey = values.get("S3_SECRET_KEY");
		if (uri == null || accessKey == null || secretKey == null) {
			throw new IllegalStateException(
					"Ceph RGW start.sh printed no S3_ENDPOINT/S3_ACCESS_KEY/S3_SECRET_KEY lines;" + " its output:\n"
							+ result.tail(60));
		}
		S3Endpoint endpoint = new S3Endpoint(URI.create(uri),
				values.getOrDefault("S3_REGION", S3Endpoint.DEFAULT_REGION), accessKey, secretKey);
		return new CephRgw(endpoint, Path.of(values.getOrDefault("CEPH_RGW_DIR", dir.toString())), elapsed);
	}

	/**
	 * Stops the cluster with {@code stop.sh} (only its own daemons, found by pid files).
	 * @param dataDir the cluster's data directory
	 * @param wipe whether to delete the data directory afterwards
	 * @throws IllegalStateException if {@code stop.sh} fails
	 */
	public static void stop(Path dataDir, boolean wipe) {
		Path script = locateCephDir().resolve("stop.sh");
		List<String> command = new ArrayList<>(List.of("bash", script.toString(), dataDir.toAbsolutePath().toString()));
		if (wipe) {
			command.add("--wipe");
		}
		ScriptResult result = runScript(command, Map.of(), "ceph-stop", Duration.ofMinutes(5));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("Ceph stop.sh " + result.describeExit() + ":\n" + result.tail(40));
		}
	}

	/**
	 * Finds the directory holding {@code start.sh}: system property
	 * {@value #CEPH_DIR_PROPERTY}, else {@link #findProjectCephDir(Path)} from the
	 * working directory.
	 * @return the directory
	 * @throws IllegalStateException if there is none
	 */
	public static Path locateCephDir() {
		String configured = System.getProperty(CEPH_DIR_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			Path dir = Path.of(configured).toAbsolutePath();
			if (!Files.isRegularFile(dir.resolve("start.sh"))) {
				throw new IllegalStateException("system property " + CEPH_DIR_PROPERTY + "=" + configured
						+ " does not name a directory holding start.sh");
			}
			return dir;
		}
		return findProjectCephDir(Path.of(""));
	}

	/**
	 * Finds the project's own script directory, {@value #PROJECT_CEPH_DIR}, in
	 * {@code from} or the nearest of its ancestors that holds it: the root of the
	 * checkout, seen from any module directory in it.
	 * @param from where to start, usually the working directory
	 * @return the directory holding {@code start.sh}
	 * @throws IllegalStateException if there is none
	 */
	public static Path findProjectCephDir(Path from) {
		Path start = from.toAbsolutePath().normalize();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(PROJECT_CEPH_DIR);
			if (Files.isRegularFile(candidate.resolve("start.sh"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("cannot find " + PROJECT_CEPH_DIR + "/start.sh in " + start
				+ " or any directory above it (run the tests inside a Ferry checkout); or set -D" + CEPH_DIR_PROPERTY
				+ "=<directory holding start.sh>");
	}

	private static Map<String, String> parse(String output) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : output.split("\r?\n")) {
			int eq = line.indexOf('=');
			if (eq > 0 && line.substring(0, eq).matches("[A-Z][A-Z0-9_]*")) {
				values.put(line.substring(0, eq), line.substring(eq + 1).trim());
			}
		}
		return values;
	}

	private static ScriptResult runScript(List<String> command, Map<String, String> environment, String name,
			Duration timeout) {
		Path log = ServerSupport.workDir().resolve(name + "-" + ProcessHandle.current().pid() + ".log");
		// output goes to a file, not a pipe: the daemons the script starts inherit it,
		// and a
		// pipe would stay open as long as they run
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().putAll(environment);
		try {
			Process process = builder.start();
			if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
				process.descendants().forEach(ProcessHandle::destroy);
				process.destroy();
				process.waitFor(10, TimeUnit.SECONDS);
				return new ScriptResult(-1, timeout, log, Files.readString(log, StandardCharsets.UTF_8));
			}
			return new ScriptResult(process.exitValue(), timeout, log, Files.readString(log, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running " + String.join(" ", command), ex);
		}
	}

	/**
	 * @return the S3 endpoint and credentials of the gateway
	 */
	public S3Endpoint endpoint() {
		return this.endpoint;
	}

	/**
	 * @return the cluster's data directory
	 */
	public Path dataDir() {
		return this.dataDir;
	}

	/**
	 * The first SSE-KMS key id the gateway accepts, read from the cluster's own
	 * {@code ceph.conf} ({@code rgw_crypt_s3_kms_encryption_keys = id=key ...}), so that
	 * tests name no key of their own.
	 * @return the key id
	 * @throws IllegalStateException if the configuration lists none
	 */
	public String kmsKeyId() {
		Path config = this.dataDir.resolve("ceph.conf");
		try {
			for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
				String[] setting = line.split("=", 2);
				if (setting.length == 2 && setting[0].strip().equals("rgw_crypt_s3_kms_encryption_keys")) {
					String first = setting[1].strip().split("\\s+")[0];
					return first.substring(0, first.indexOf('='));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + config, ex);
		}
		throw new IllegalStateException(config + " lists no rgw_crypt_s3_kms_encryption_keys");
	}

	/**
	 * @return how long {@code start.sh} took in this JVM
	 */
	public Duration startTime() {
		return this.startTime;
	}

	/**
	 * Does nothing: the cluster keeps running for later test JVMs. Use
	 * {@link #stop(Path, boolean)} to stop it.
	 */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "CephRgw[" + this.endpoint.uri() + ", data " + this.dataDir + "]";
	}

	private record ScriptResult(int exitCode, Duration timeout, Path logFile, String output) {

		String describeExit() {
			return (this.exitCode == -1) ? "timed out after " + this.timeout.toSeconds() + " s"
					: "failed with exit code " + this.exitCode;
		}

		String tail(int maxLines) {
			String[] lines = this.output.split("\r?\n");
			StringBuilder result = new StringBuilder();
			for (int i = Math.max(0, lines.length - maxLines); i < lines.length; i++) {
				result.append(lines[i]).append('\n');
			}
			return result.toString();
		}

	}

}
