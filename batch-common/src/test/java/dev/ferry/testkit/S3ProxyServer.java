package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.UUID;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An <a href="https://github.com/gaul/s3proxy">S3Proxy</a> server: an S3 API on
 * {@code 127.0.0.1} (free port) backed by the jclouds {@code filesystem} provider, with
 * AWS signature v2/v4 authentication for the test identity {@value #ACCESS_KEY} with a
 * secret key made up at each start (see {@link #endpoint()}). Clients use path-style
 * addressing and region us-east-1 (see {@link S3Endpoint#client()}).
 * <p>
 * It runs as a <b>child process</b> ({@code java -jar} with the running JVM's java) from
 * S3Proxy's self-contained jar, because its Jetty and Jackson versions clash with Spring
 * Boot's. The jar is found through system property {@value #JAR_PROPERTY} (surefire sets
 * it; Maven copies the jar there) or else at {@code target/test-servers/s3proxy.jar}. The
 * child never outlives this JVM (see {@link ServerProcess}).
 * <p>
 * State: everything lives in the state directory given to {@link #start(Path)}: buckets
 * under {@code data/} (one directory per bucket, one file per object), the generated
 * {@code s3proxy.conf} and the server's output in {@code s3proxy.log}. Starting again
 * with the same directory finds the same buckets and objects. Beside the jar, files
 * {@code s3proxy-<n>.jsa[.lock]} hold class-data sharing archives that make later starts
 * faster (see {@value #CDS_PROPERTY}).
 * <p>
 * Thread-safe: S3Proxy serves concurrent requests; {@link #close()} is idempotent.
 */
public final class S3ProxyServer implements AutoCloseable {

	/** The access key id S3Proxy accepts. */
	public static final String ACCESS_KEY = "ferry-test";

	/** System property with the path of S3Proxy's jar-with-dependencies. */
	public static final String JAR_PROPERTY = "ferry.testkit.s3proxy-jar";

	/** Where the jar is looked for when {@value #JAR_PROPERTY} is not set. */
	public static final String DEFAULT_JAR = "target/test-servers/s3proxy.jar";

	/** System property overriding the start timeout in seconds (default 60). */
	public static final String START_TIMEOUT_PROPERTY = "ferry.testkit.s3proxy-start-timeout";

	/**
	 * System property: {@code false} turns off the class-data sharing archive that halves
	 * S3Proxy's start-up time (default {@code true}).
	 */
	public static final String CDS_PROPERTY = "ferry.testkit.s3proxy-cds";

	private static final int PORT_ATTEMPTS = 3;

	private static final int CDS_SLOTS = 4;

	private final ServerProcess process;

	private final S3Endpoint endpoint;

	private final Path stateDir;

	private final CdsSlot cdsSlot;

	private S3ProxyServer(ServerProcess process, S3Endpoint endpoint, Path stateDir, CdsSlot cdsSlot) {
		this.process = process;
		this.endpoint = endpoint;
		this.stateDir = stateDir;
		this.cdsSlot = cdsSlot;
	}

	/**
	 * Starts S3Proxy on a free port and waits until it answers HTTP.
	 * @param stateDir directory for the buckets, config and log (created if missing; may
	 * hold data from an earlier run)
	 * @return the running server; close it to stop the child process
	 * @throws IllegalStateException if the jar is missing or the server does not start;
	 * the message holds the tail of its log
	 */
	public static S3ProxyServer start(Path stateDir) {
		Path jar = locateJar();
		Path dir = ServerSupport.createDirectories(stateDir.toAbsolutePath());
		Path dataDir = ServerSupport.createDirectories(dir.resolve("data"));
		Path tmpDir = ServerSupport.createDirectories(dir.resolve("tmp"));
		Path logFile = dir.resolve("s3proxy.log");
		Duration timeout = ServerSupport.secondsProperty(START_TIMEOUT_PROPERTY, 60);
		String lastFailure = null;
		for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
			int port = ServerSupport.freePort();
			URI uri = URI.create("http://" + ServerSupport.LOOPBACK + ":" + port);
			// made up per start: no secret lives in the code, and tests may look for it
			// in logs
			String secretKey = "s3proxy-" + UUID.randomUUID();
			Path config = writeConfig(dir, uri, dataDir, secretKey);
			CdsSlot cds = CdsSlot.acquire(jar);
			List<String> command = new ArrayList<>(List.of(ServerSupport.javaExecutable(), "-Xmx512m",
					"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmpDir,
					"-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener"));
			if (cds != null) {
				command.addAll(List.of("-XX:SharedArchiveFile=" + cds.archive(), "-XX:+AutoCreateSharedArchive",
						"-Xlog:cds=error,cds+dynamic=error"));
			}
			command.addAll(List.of("-jar", jar.toString(), "--properties", config.toString()));
			ServerProcess process = ServerProcess.start("s3proxy-" + port, command, dir, logFile);
			String failure = ServerSupport.awaitCondition("S3Proxy on " + uri, timeout, Duration.ofMillis(50),
					() -> answersHttp(uri), process::deathNotice);
			if (failure == null) {
				return new S3ProxyServer(process, new S3Endpoint(uri, S3Endpoint.DEFAULT_REGION, ACCESS_KEY, secretKey),
						dir, cds);
			}
			String tail = process.logTail(40);
			process.close();
			if (cds != null) {
				cds.close();
			}
			lastFailure = failure + "; last lines of " + logFile + ":\n" + tail;
			if (!tail.contains("Address already in use")) {
				break;
			}
		}
		throw new IllegalStateException("S3Proxy did not start: " + lastFailure);
	}

	private static Path locateJar() {
		String configured = System.getProperty(JAR_PROPERTY);
		Path jar = Path.of((configured != null && !configured.isBlank()) ? configured : DEFAULT_JAR).toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("S3Proxy jar not found at " + jar + " (system property " + JAR_PROPERTY
					+ "): Maven copies it there in the process-test-resources phase; run './mvnw -B -pl batch-common"
					+ " process-test-resources' or set -D" + JAR_PROPERTY
					+ "=<path of s3proxy-*-jar-with-dependencies.jar>");
		}
		return jar;
	}

	private static Path writeConfig(Path dir, URI uri, Path dataDir, String secretKey) {
		String config = """
				# generated by dev.ferry.testkit.S3ProxyServer
				s3proxy.endpoint=%s
				s3proxy.authorization=aws-v2-or-v4
				s3proxy.identity=%s
				s3proxy.credential=%s
				jclouds.provider=filesystem
				jclouds.filesystem.basedir=%s
				""".formatted(uri, ACCESS_KEY, secretKey, dataDir);
		Path file = dir.resolve("s3proxy.conf");
		try {
			Files.writeString(file, config);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write " + file, ex);
		}
		return file;
	}

	/**
	 * Sends {@code GET /} over a plain socket: any HTTP status line means Jetty serves.
	 */
	private static boolean answersHttp(URI uri) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
			socket.setSoTimeout(2000);
			String request = "GET / HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			byte[] status = socket.getInputStream().readNBytes(5);
			// anonymous requests get 403 AccessDenied, which is fine
			return "HTTP/".equals(new String(status, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * @return the endpoint and credentials of this server
	 */
	public S3Endpoint endpoint() {
		return this.endpoint;
	}

	/**
	 * @return the port on 127.0.0.1
	 */
	public int port() {
		return this.endpoint.uri().getPort();
	}

	/**
	 * @return the state directory given to {@link #start(Path)}
	 */
	public Path stateDir() {
		return this.stateDir;
	}

	/**
	 * @return the directory the filesystem backend keeps buckets in (one sub-directory
	 * per bucket)
	 */
	public Path dataDir() {
		return this.stateDir.resolve("data");
	}

	/**
	 * @return the file that receives S3Proxy's output
	 */
	public Path logFile() {
		return this.process.logFile();
	}

	/**
	 * @return the pid of the S3Proxy child process
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * @return whether the child process still runs
	 */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Stops the child process (SIGTERM, SIGKILL after 10 s); keeps the state directory.
	 */
	@Override
	public void close() {
		this.process.close();
		if (this.cdsSlot != null) {
			this.cdsSlot.close();
		}
	}

	/**
	 * A class-data sharing archive for S3Proxy's JVM
	 * ({@code -XX:+AutoCreateSharedArchive}): the first run writes it when it exits
	 * (about 1.5 s), later runs start in about 1 s instead of 2-3 s. The JVM writes the
	 * archive without locking, so each running S3Proxy holds an exclusive lock on its own
	 * slot ({@code s3proxy-<n>.jsa} beside the jar) until it has exited; when all slots
	 * are taken, the server runs without an archive.
	 */
	private record CdsSlot(Path archive, FileChannel channel, FileLock lock) {

		static CdsSlot acquire(Path jar) {
			if ("false".equalsIgnoreCase(System.getProperty(CDS_PROPERTY))) {
				return null;
			}
			Path dir = jar.getParent();
			if (dir == null || !Files.isWritable(dir)) {
				return null;
			}
			for (int slot = 0; slot < CDS_SLOTS; slot++) {
				Path archive = dir.resolve("s3proxy-" + slot + ".jsa");
				FileChannel channel = null;
				try {
					channel = FileChannel.open(dir.resolve("s3proxy-" + slot + ".jsa.lock"), StandardOpenOption.CREATE,
							StandardOpenOption.WRITE);
					FileLock lock = channel.tryLock();
					if (lock != null) {
						return new CdsSlot(archive, channel, lock);
					}
					channel.close();
				}
				catch (IOException | OverlappingFileLockException ex) {
					closeQuietly(channel);
				}
			}
			return null;
		}

		void close() {
			try {
				this.lock.release();
			}
			catch (IOException ex) {
				// closing the channel releases it too
			}
			closeQuietly(this.channel);
		}

		private static void closeQuietly(FileChannel channel) {
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException ex) {
					// nothing to do
				}
			}
		}

	}

	@Override
	public String toString() {
		return "S3ProxyServer[" + this.endpoint.uri() + ", state " + this.stateDir + ", pid " + pid() + "]";
	}

}
