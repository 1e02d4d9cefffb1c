package dev.ferry.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ClamAV's scanner daemon (Debian's {@code clamav-daemon}, {@value #DEFAULT_CLAMD}) run
 * as a child process in the foreground, listening on {@code 127.0.0.1} (free port, TCP
 * only) with a test signature database holding <b>only</b> the EICAR test signature
 * ({@value #EICAR_SIGNATURE}, an MD5 {@code .hdb} line; reported as
 * {@value #EICAR_FOUND}, see there): starting takes well under a second and needs no
 * download (freshclam never runs). Limits: {@code StreamMaxLength}, {@code MaxFileSize}
 * and {@code MaxScanSize} all equal the {@code maxBytes} given to
 * {@link #start(Path, long)} (default 25 MiB), with {@code AlertExceedsMax yes}: a stream
 * longer than that is refused with {@code INSTREAM size limit exceeded. ERROR}.
 * <p>
 * {@link #scan(byte[])} / {@link #instream(InetSocketAddress, InputStream, Duration)}
 * speak clamd's {@code zINSTREAM} protocol and return clamd's verdict as it is, for
 * example {@value #OK} or {@value #EICAR_FOUND}.
 * <p>
 * State directory layout: {@code clamd.conf} (generated), {@code db/ferry-test.hdb},
 * {@code clamd.log} (clamd's log file), {@code clamd.out} (its stdout/stderr),
 * {@code clamd.pid}, {@code tmp/}. The child never outlives this JVM (see
 * {@link ServerProcess}). The clamd executable is {@value #DEFAULT_CLAMD}, or system
 * property {@value #CLAMD_PROPERTY}, or {@code clamd} on the {@code PATH}.
 * <p>
 * Thread-safe: clamd serves concurrent connections; each scan uses its own connection;
 * {@link #close()} is idempotent.
 */
public final class Clamd implements AutoCloseable {

	/**
	 * Default for {@code StreamMaxLength}, {@code MaxFileSize} and {@code MaxScanSize}.
	 */
	public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;

	/** Where Debian's clamav-daemon installs clamd. */
	public static final String DEFAULT_CLAMD = "/usr/sbin/clamd";

	/** System property naming another clamd executable. */
	public static final String CLAMD_PROPERTY = "ferry.testkit.clamd";

	/** System property overriding the start timeout in seconds (default 60). */
	public static final String START_TIMEOUT_PROPERTY = "ferry.testkit.clamd-start-timeout";

	/** Name of the only signature in the test database. */
	public static final String EICAR_SIGNATURE = "Eicar-Test-Signature";

	/** Verdict for clean data. */
	public static final String OK = "stream: OK";

	/**
	 * Verdict for the EICAR test file. ClamAV appends {@code .UNOFFICIAL} to the name of
	 * every signature that does not come from Talos' signed databases, and offers no
	 * setting to turn that off, so the test database's {@value #EICAR_SIGNATURE} is
	 * reported as {@code Eicar-Test-Signature.UNOFFICIAL}. (A production clamd with the
	 * official databases names EICAR {@code Win.Test.EICAR_HDB-1}.) Code under test
	 * should therefore treat the name as opaque: {@code FOUND} at the end is the verdict.
	 */
	public static final String EICAR_FOUND = "stream: " + EICAR_SIGNATURE + ".UNOFFICIAL FOUND";

	/** Answer when a stream is longer than {@code StreamMaxLength}. */
	public static final String SIZE_LIMIT_EXCEEDED = "INSTREAM size limit exceeded. ERROR";

	/** The failure message when clamd is not installed. */
	public static final String NOT_INSTALLED = "clamd not found: install it with 'sudo apt-get install -y clamav-daemon'";

	/**
	 * The EICAR test file, reversed so that the class file does not alarm virus scanners.
	 */
	private static final String EICAR_REVERSED = "*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\\4[PA@%P!O5X";

	private static final String EICAR_MD5 = "44d88612fea8a8f36de82e1278abb02f";

	/** The MD5 of "x": a signature that matches nothing a test scans but "x" itself. */
	private static final String NOT_EICAR_MD5 = "9dd4e461268c8034f5c8564e155c67a6";

	private static final int CHUNK = 64 * 1024;

	private static final int PORT_ATTEMPTS = 3;

	private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(60);

	private final ServerProcess process;

	private final InetSocketAddress address;

	private final Path stateDir;

	private final long maxBytes;

	private Clamd(ServerProcess process, InetSocketAddress address, Path stateDir, long maxBytes) {
		this.process = process;
		this.address = address;
		this.stateDir = stateDir;
		this.maxBytes = maxBytes;
	}

	/**
	 * Starts clamd with the default limits ({@value #DEFAULT_MAX_BYTES} bytes).
	 * @param stateDir the state directory (created if missing)
	 * @return the running daemon
	 */
	public static Clamd start(Path stateDir) {
		return start(stateDir, DEFAULT_MAX_BYTES);
	}

	/**
	 * Starts clamd and waits until it answers {@code PING} with {@code PONG}.
	 * @param stateDir the state directory (created if missing)
	 * @param maxBytes {@code StreamMaxLength}, {@code MaxFileSize} and
	 * {@code MaxScanSize}
	 * @return the running daemon
	 * @throws IllegalStateException if clamd is not installed ({@value #NOT_INSTALLED})
	 * or does not start (the message holds the tail of its log)
	 */
	public static Clamd start(Path stateDir, long maxBytes) {
		return start(stateDir, Options.defaults().maxBytes(maxBytes));
	}

	/**
	 * Starts clamd with other settings than the defaults, for example one that a
	 * production deployment must never have: without {@code AlertExceedsMax}, or without
	 * the EICAR signature.
	 * @param stateDir the state directory (created if missing)
	 * @param options the limits and signatures
	 * @return the running daemon
	 */
	public static Clamd start(Path stateDir, Options options) {
		long maxBytes = options.streamMaxLength();
		String clamd = locateClamd();
		Path dir = ServerSupport.createDirectories(stateDir.toAbsolutePath());
		Path dbDir = ServerSupport.createDirectories(dir.resolve("db"));
		Path tmpDir = ServerSupport.createDirectories(dir.resolve("tmp"));
		Path logFile = dir.resolve("clamd.log");
		Path outFile = dir.resolve("clamd.out");
		// clamd refuses to start without any signature: without EICAR's, the database
		// holds
		// the MD5 of a text nobody scans
		write(dbDir.resolve("ferry-test.hdb"), options.eicarSignature() ? EICAR_MD5 + ":68:" + EICAR_SIGNATURE + "\n"
				: NOT_EICAR_MD5 + ":1:Ferry-Test-Not-Eicar\n");
		Duration timeout = ServerSupport.secondsProperty(START_TIMEOUT_PROPERTY, 60);
		String lastFailure = null;
		for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
			int port = ServerSupport.freePort();
			Path config = dir.resolve("clamd.conf");
			write(config, config(port, dbDir, tmpDir, logFile, dir.resolve("clamd.pid"), options));
			ServerProcess process = ServerProcess.start("clamd-" + port,
					List.of(clamd, "--foreground", "-c", config.toString()), dir, outFile);
			InetSocketAddress address = new InetSocketAddress(ServerSupport.LOOPBACK, port);
			String failure = ServerSupport.awaitCondition("clamd PONG on " + ServerSupport.LOOPBACK + ":" + port,
					timeout, Duration.ofMillis(50), () -> "PONG".equals(quietCommand(address, "PING")),
					process::deathNotice);
			if (failure == null) {
				return new Clamd(process, address, dir, maxBytes);
			}
			process.close();
			String logs = "last lines of " + outFile + ":\n" + ServerSupport.tail(outFile, 20) + "last lines of "
					+ logFile + ":\n" + ServerSupport.tail(logFile, 20);
			lastFailure = failure + "; " + logs;
			if (!logs.contains("already in use")) {
				break;
			}
		}
		throw new IllegalStateException("clamd did not start: " + lastFailure);
	}

	private static String locateClamd() {
		String configured = System.getProperty(CLAMD_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			if (!Files.isExecutable(Path.of(configured))) {
				throw new IllegalStateException(NOT_INSTALLED + " (system property " + CLAMD_PROPERTY + "=" + configured
						+ " is not an executable)");
			}
			return configured;
		}
		if (Files.isExecutable(Path.of(DEFAULT_CLAMD))) {
			return DEFAULT_CLAMD;
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(java.io.File.pathSeparator)) {
				if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "clamd"))) {
					return Path.of(entry, "clamd").toString();
				}
			}
		}
		throw new IllegalStateException(NOT_INSTALLED);
	}

	private static String config(int port, Path dbDir, Path tmpDir, Path logFile, Path pidFile, Options options) {
		return """
				# generated by dev.ferry.testkit.Clamd: TCP on loopback only, test signatures only
				TCPSocket %d
				TCPAddr %s
				Foreground yes
				DatabaseDirectory %s
				TemporaryDirectory %s
				LogFile %s
				LogTime yes
				LogFileMaxSize 0
				PidFile %s
				StreamMaxLength %d
				MaxFileSize %d
				MaxScanSize %d
				AlertExceedsMax %s
				SelfCheck 0
				Bytecode no
				DetectPUA no
				OfficialDatabaseOnly no
				ConcurrentDatabaseReload no
				MaxThreads 4
				ReadTimeout 60
				CommandReadTimeout 30
				IdleTimeout 60
				""".formatted(port, ServerSupport.LOOPBACK, dbDir, tmpDir, logFile, pidFile, options.streamMaxLength(),
				options.maxFileSize(), options.maxFileSize(), options.alertExceedsMax() ? "yes" : "no");
	}

	private static void write(Path file, String content) {
		try {
			Files.writeString(file, content, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write " + file, ex);
		}
	}

	/**
	 * The 68-byte EICAR anti-virus test file, which the test database detects as
	 * {@value #EICAR_SIGNATURE}.
	 * @return a new array with the EICAR bytes
	 */
	public static byte[] eicar() {
		return new StringBuilder(EICAR_REVERSED).reverse().toString().getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return this.address.getHostString();
	}

	/**
	 * @return clamd's TCP port
	 */
	public int port() {
		return this.address.getPort();
	}

	/**
	 * @return host and port
	 */
	public InetSocketAddress address() {
		return this.address;
	}

	/**
	 * @return {@code StreamMaxLength} (= {@code MaxFileSize} = {@code MaxScanSize}) in
	 * bytes
	 */
	public long maxBytes() {
		return this.maxBytes;
	}

	/**
	 * @return the state directory
	 */
	public Path stateDir() {
		return this.stateDir;
	}

	/**
	 * @return clamd's own log file
	 */
	public Path logFile() {
		return this.stateDir.resolve("clamd.log");
	}

	/**
	 * @return whether the child process still runs
	 */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * @return clamd's answer to {@code PING}: {@code PONG}
	 */
	public String ping() {
		return command("PING");
	}

	/**
	 * Sends a one-line command ({@code zPING}, {@code zVERSION}, ...) and returns the
	 * answer.
	 * @param command the command without the {@code z} prefix, for example
	 * {@code VERSION}
	 * @return the answer without its terminating NUL
	 */
	public String command(String command) {
		try {
			return command(this.address, command);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("clamd " + command + " failed on " + this.address, ex);
		}
	}

	/**
	 * Scans bytes with {@code zINSTREAM}.
	 * @param data the data
	 * @return the verdict, for example {@value #OK} or {@value #EICAR_FOUND}
	 */
	public String scan(byte[] data) {
		return scan(new ByteArrayInputStream(data));
	}

	/**
	 * Scans a stream with {@code zINSTREAM} (read to its end, not closed).
	 * @param data the data
	 * @return the verdict, for example {@value #OK}, {@value #EICAR_FOUND} or
	 * {@value #SIZE_LIMIT_EXCEEDED}
	 */
	public String scan(InputStream data) {
		try {
			return instream(this.address, data, SCAN_TIMEOUT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("clamd INSTREAM failed on " + this.address, ex);
		}
	}

	/**
	 * Sends a one-line {@code z} command to a clamd.
	 * @param address clamd's address
	 * @param command the command without the {@code z} prefix
	 * @return the answer without its terminating NUL
	 * @throws IOException if the connection fails
	 */
	public static String command(InetSocketAddress address, String command) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(address, 2000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("z" + command + "\0").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return readReply(socket.getInputStream());
		}
	}

	private static String quietCommand(InetSocketAddress address, String command) {
		try {
			return command(address, command);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Streams data to a clamd with {@code zINSTREAM} (chunks of 64 KiB, each prefixed
	 * with its length as a 4-byte big-endian integer, then a zero-length chunk) and
	 * returns its verdict. When clamd stops reading early (stream longer than
	 * {@code StreamMaxLength}), its answer is returned as well: the answer is read
	 * concurrently with the upload.
	 * @param address clamd's address
	 * @param data the data (read to its end, not closed)
	 * @param timeout how long to wait for the verdict
	 * @return the verdict, for example {@code stream: OK}
	 * @throws IOException if the connection fails and clamd gave no answer
	 */
	public static String instream(InetSocketAddress address, InputStream data, Duration timeout) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(address, 2000);
			socket.setSoTimeout((int) timeout.toMillis());
			InputStream in = socket.getInputStream();
			CompletableFuture<String> reply = new CompletableFuture<>();
			Thread.ofVirtual().name("clamd-reply-" + address.getPort()).start(() -> {
				try {
					reply.complete(readReply(in));
				}
				catch (IOException | RuntimeException ex) {
					reply.completeExceptionally(ex);
				}
			});
			OutputStream out = socket.getOutputStream();
			try {
				out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
				byte[] buffer = new byte[CHUNK];
				int read;
				while (!reply.isDone() && (read = data.readNBytes(buffer, 0, CHUNK)) > 0) {
					out.write(ByteBuffer.allocate(4).putInt(read).array());
					out.write(buffer, 0, read);
				}
				if (!reply.isDone()) {
					out.write(new byte[4]);
					out.flush();
				}
			}
			catch (IOException ex) {
				// clamd closed the connection: its answer says why
				try {
					return awaitReply(reply, Duration.ofSeconds(5));
				}
				catch (IOException noReply) {
					ex.addSuppressed(noReply);
					throw ex;
				}
			}
			return awaitReply(reply, timeout);
		}
	}

	private static String awaitReply(CompletableFuture<String> reply, Duration timeout) throws IOException {
		try {
			return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException("reading clamd's answer failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IOException("no answer from clamd within " + timeout.toSeconds() + " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for clamd", ex);
		}
	}

	/** Reads up to the NUL that ends a {@code z} command's answer (or to EOF). */
	private static String readReply(InputStream in) throws IOException {
		ByteArrayOutputStream reply = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != 0) {
			reply.write(b);
		}
		String answer = reply.toString(StandardCharsets.UTF_8).strip();
		if (b == -1 && answer.isEmpty()) {
			throw new IOException("clamd closed the connection without an answer");
		}
		return answer;
	}

	/**
	 * How a test clamd is configured.
	 *
	 * @param streamMaxLength {@code StreamMaxLength}: longer streams are refused
	 * @param maxFileSize {@code MaxFileSize} and {@code MaxScanSize}
	 * @param alertExceedsMax {@code AlertExceedsMax}: whether content past
	 * {@code MaxFileSize}/{@code MaxScanSize} is reported
	 * ({@code Heuristics.Limits.Exceeded...} FOUND) or, without it, silently answered OK
	 * @param eicarSignature whether the database detects EICAR; without it clamd answers
	 * OK to everything, as one without signatures does
	 */
	public record Options(long streamMaxLength, long maxFileSize, boolean alertExceedsMax, boolean eicarSignature) {

		public Options {
			for (long limit : new long[] { streamMaxLength, maxFileSize }) {
				if (limit <= 0 || limit >= 4L * 1024 * 1024 * 1024) {
					throw new IllegalArgumentException("clamd limits must be between 1 and 4 GiB - 1, not " + limit);
				}
			}
		}

		/** {@value #DEFAULT_MAX_BYTES} bytes for every limit, AlertExceedsMax, EICAR. */
		public static Options defaults() {
			return new Options(DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES, true, true);
		}

		/**
		 * Every limit ({@code StreamMaxLength}, {@code MaxFileSize},
		 * {@code MaxScanSize}).
		 */
		public Options maxBytes(long bytes) {
			return new Options(bytes, bytes, this.alertExceedsMax, this.eicarSignature);
		}

		/** {@code MaxFileSize} and {@code MaxScanSize} only. */
		public Options maxFileSize(long bytes) {
			return new Options(this.streamMaxLength, bytes, this.alertExceedsMax, this.eicarSignature);
		}

		/**
		 * {@code AlertExceedsMax no}: content past the limits is answered OK unscanned.
		 */
		public Options withoutAlertExceedsMax() {
			return new Options(this.streamMaxLength, this.maxFileSize, false, this.eicarSignature);
		}

		/** A database without the EICAR signature: every answer is OK. */
		public Options withoutEicarSignature() {
			return new Options(this.streamMaxLength, this.maxFileSize, this.alertExceedsMax, false);
		}

	}

	/** Stops clamd (SIGTERM, SIGKILL after 10 s); keeps the state directory. */
	@Override
	public void close() {
		this.process.close();
	}

	@Override
	public String toString() {
		return "Clamd[" + ServerSupport.LOOPBACK + ":" + port() + ", max " + this.maxBytes + " bytes, state "
				+ this.stateDir + "]";
	}

}
