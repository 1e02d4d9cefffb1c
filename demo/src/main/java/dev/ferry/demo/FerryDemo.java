package dev.ferry.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.FerrySettings;
import org.jspecify.annotations.Nullable;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3Endpoint;
import dev.ferry.testkit.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Ferry on one machine, with nothing installed but a JDK: starts PostgreSQL and two S3
 * endpoints (S3Proxy standing in for AWS S3 and for Ceph) with their state under one
 * folder, loads sample tables, runs every job that the production jar lists, and prints
 * the history table. {@code bin/demo} builds Ferry and runs this class.
 * <p>
 * Running it again reuses the same state: the servers restart on the same data, the
 * sample data is already there, and each job's instance for today has completed, so the
 * CLI answers "already completed ... nothing to do".
 * <p>
 * With {@code --train-aot-cache FILE} it is the training run of a JDK AOT cache instead:
 * the servers and the sample data as above, then {@code ferry run tableDump} and
 * {@code ferry run s3Mirror} one after the other in one JVM started with
 * {@code -XX:AOTCacheOutput=FILE}, which records the classes Ferry loads and links and
 * the profiles of its methods while it does a real dump and mirrors it. The image's build
 * and {@code bench/table-dump} make their caches this way, each with a fresh state folder
 * (a run that finds today's dump completed trains nothing but start-up).
 * <p>
 * With {@code --serve ENV_FILE} it runs no job: it starts the servers, loads the sample
 * data, writes the environment of a {@code ferry run tableDump} against them to
 * {@code ENV_FILE} ({@code NAME=value} lines: the job repository's settings, the job's,
 * and {@code TABLES}, the sample tables, as the CronJob passes them) and keeps the
 * servers up until it is stopped (SIGTERM, Ctrl-C). {@code bin/image-test} runs the
 * image's {@code ferry run tableDump} this way, in a container that shares the host's
 * loopback.
 * <p>
 * Arguments:
 * {@code [--state DIR] [--jar FERRY_JAR] [--keep-running | --train-aot-cache FILE | --serve ENV_FILE]}.
 * <p>
 * Not thread-safe; one demo per JVM.
 */
public final class FerryDemo {

	/**
	 * The jar's hidden first argument that runs several command lines, separated by
	 * {@code ;}, in one JVM (the jobs module's {@code FerryCli.AOT_TRAINING}).
	 */
	private static final String AOT_TRAINING = "--aot-training";

	/**
	 * A fixed port, so that the job repository keeps one URL across runs. Taken only if
	 * free.
	 */
	static final int POSTGRES_PORT = 54329;

	/** Seed 002's intermediate storage, where table dumps go. */
	static final String INTERMEDIATE_BUCKET = "ferry-intermediate";

	/** The target of the mirror (Data Hub's Ceph in production). */
	static final String DATAHUB_BUCKET = "ferry-datahub";

	/**
	 * The demo's data is small and every command a short JVM: the C1 compiler alone
	 * starts Spring faster.
	 */
	static final List<String> CHILD_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	private final Path stateDir;

	private final Path jar;

	private final boolean keepRunning;

	private final @Nullable Path aotCacheOutput;

	private final @Nullable Path serveEnvironment;

	private final long startNanos = System.nanoTime();

	private EmbeddedPostgresServer postgres;

	private PostgresDatabase repository;

	private PostgresDatabase sample;

	private S3ProxyServer aws;

	private S3ProxyServer ceph;

	private final AtomicBoolean stopped = new AtomicBoolean();

	/**
	 * What each job gets besides the job repository: environment variables and job
	 * parameters. A job without an entry runs with the repository settings only.
	 */
	/**
	 * The demo's settings of each job, in the order the jobs run: the dump first, then
	 * the mirror that takes it to the other store (seed 002's two CronJobs).
	 */
	private final Map<String, Function<FerryDemo, Invocation>> jobSetups = orderedSetups();

	private static Map<String, Function<FerryDemo, Invocation>> orderedSetups() {
		Map<String, Function<FerryDemo, Invocation>> setups = new LinkedHashMap<>();
		setups.put("tableDump", FerryDemo::tableDump);
		setups.put("s3Mirror", FerryDemo::s3Mirror);
		return setups;
	}

	/** How the demo runs one job. */
	record Invocation(Map<String, String> environment, List<String> parameters) {
	}

	FerryDemo(Path stateDir, Path jar, boolean keepRunning, @Nullable Path aotCacheOutput) {
		this(stateDir, jar, keepRunning, aotCacheOutput, null);
	}

	FerryDemo(Path stateDir, Path jar, boolean keepRunning, @Nullable Path aotCacheOutput,
			@Nullable Path serveEnvironment) {
		this.stateDir = stateDir.toAbsolutePath().normalize();
		this.jar = jar.toAbsolutePath().normalize();
		this.keepRunning = keepRunning;
		this.aotCacheOutput = (aotCacheOutput != null) ? aotCacheOutput.toAbsolutePath().normalize() : null;
		this.serveEnvironment = (serveEnvironment != null) ? serveEnvironment.toAbsolutePath().normalize() : null;
	}

	public static void main(String[] args) {
		Path state = Path.of(".demo");
		Path jar = Path.of("jobs/target/ferry.jar");
		boolean keepRunning = false;
		Path aotCacheOutput = null;
		Path serveEnvironment = null;
		for (int i = 0; i < args.length; i++) {
			boolean hasValue = i + 1 < args.length;
			switch (args[i]) {
				case "--state" -> state = hasValue ? Path.of(args[++i]) : usage();
				case "--jar" -> jar = hasValue ? Path.of(args[++i]) : usage();
				case "--keep-running" -> keepRunning = true;
				case "--train-aot-cache" -> aotCacheOutput = hasValue ? Path.of(args[++i]) : usage();
				case "--serve" -> serveEnvironment = hasValue ? Path.of(args[++i]) : usage();
				default -> usage();
			}
		}
		if (System.getProperty(S3ProxyServer.JAR_PROPERTY) == null) {
			// bin/demo passes the path; this is where Maven puts it, seen from the
			// repository root
			System.setProperty(S3ProxyServer.JAR_PROPERTY, "demo/target/test-servers/s3proxy.jar");
		}
		int exitCode;
		try {
			exitCode = new FerryDemo(state, jar, keepRunning, aotCacheOutput, serveEnvironment).run();
		}
		catch (RuntimeException ex) {
			say("The demo failed: " + ex.getMessage());
			ex.printStackTrace();
			exitCode = 1;
		}
		System.exit(exitCode);
	}

	private static Path usage() {
		System.err.println(
				"Usage: bin/demo [--keep-running]  (FerryDemo [--state DIR] [--jar FERRY_JAR] [--keep-running | --train-aot-cache FILE | --serve ENV_FILE])");
		System.exit(2);
		throw new IllegalStateException("unreachable");
	}

	int run() {
		if (this.serveEnvironment == null && !Files.isRegularFile(this.jar)) {
			throw new IllegalStateException(
					"No Ferry jar at " + this.jar + ": build it with ./mvnw -B -DskipTests package");
		}
		say("Ferry demo: servers and data live in " + display(this.stateDir) + " (delete it to start afresh)");
		Thread shutdownHook = new Thread(this::stopServers, "ferry-demo-stop");
		Runtime.getRuntime().addShutdownHook(shutdownHook);
		try {
			startServers();
			loadSampleData();
			if (this.serveEnvironment != null) {
				return serve(this.serveEnvironment);
			}
			if (this.aotCacheOutput != null) {
				return trainAotCache(this.aotCacheOutput);
			}
			FerryJar ferry = new FerryJar(this.jar, CHILD_JVM_OPTIONS);
			List<String> jobs = listJobs(ferry);
			Map<String, Integer> exitCodes = runJobs(ferry, jobs);
			listObjects();
			printHistory(ferry);
			boolean allOk = exitCodes.values().stream().allMatch(code -> code == 0);
			say(summary(exitCodes) + " Demo took " + elapsed() + ".");
			if (this.keepRunning) {
				keepRunning();
			}
			return allOk ? 0 : 1;
		}
		finally {
			stopServers();
			try {
				Runtime.getRuntime().removeShutdownHook(shutdownHook);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down: the hook runs anyway
			}
		}
	}

	private void startServers() {
		// the two S3Proxy JVMs start while PostgreSQL does
		CompletableFuture<S3ProxyServer> awsStart = startS3("aws", INTERMEDIATE_BUCKET);
		CompletableFuture<S3ProxyServer> cephStart = startS3("ceph", DATAHUB_BUCKET);
		try {
			startPostgres();
		}
		finally {
			// kept even when PostgreSQL failed, so that they are stopped
			this.aws = awaitQuietly(awsStart);
			this.ceph = awaitQuietly(cephStart);
		}
		if (this.aws == null) {
			throw failure(awsStart);
		}
		if (this.ceph == null) {
			throw failure(cephStart);
		}
	}

	private static RuntimeException failure(CompletableFuture<S3ProxyServer> start) {
		try {
			start.join();
			return new IllegalStateException("S3Proxy did not start");
		}
		catch (CompletionException ex) {
			return (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	private static @Nullable S3ProxyServer awaitQuietly(CompletableFuture<S3ProxyServer> start) {
		try {
			return start.join();
		}
		catch (CompletionException ex) {
			return null;
		}
	}

	private void startPostgres() {
		Path postgresDir = this.stateDir.resolve("postgres");
		stopLeftoverPostgres(postgresDir);
		int port = isFree(POSTGRES_PORT) ? POSTGRES_PORT : 0;
		say("Starting PostgreSQL (state in " + display(postgresDir) + ") on "
				+ ((port != 0) ? "port " + port : "a free port (" + POSTGRES_PORT + " is taken)") + " ...");
		this.postgres = EmbeddedPostgresServer.start(postgresDir, port);
		this.repository = this.postgres.database("ferry", false);
		this.sample = this.postgres.database("sample", false);
		say("PostgreSQL is up: job repository " + this.repository.jdbcUrl() + ", sample data " + this.sample.jdbcUrl()
				+ " (user postgres, password postgres)");
	}

	private CompletableFuture<S3ProxyServer> startS3(String name, String bucket) {
		Path dir = this.stateDir.resolve("s3").resolve(name);
		say("Starting S3Proxy '" + name + "' (state in " + display(dir) + ") ...");
		CompletableFuture<S3ProxyServer> start = new CompletableFuture<>();
		Thread.ofVirtual().name("start-s3proxy-" + name).start(() -> {
			try {
				S3ProxyServer server = S3ProxyServer.start(dir);
				try {
					boolean created = ensureBucket(server.endpoint(), bucket);
					say("S3 endpoint '" + name + "' is up at " + server.endpoint().uri() + " (access key "
							+ server.endpoint().accessKey() + "), bucket " + bucket
							+ (created ? " created" : " already there"));
				}
				catch (RuntimeException ex) {
					server.close();
					throw ex;
				}
				start.complete(server);
			}
			catch (RuntimeException ex) {
				start.completeExceptionally(new IllegalStateException(
						"Could not start S3Proxy '" + name + "' in " + display(dir) + ": " + ex.getMessage(), ex));
			}
		});
		return start;
	}

	private static boolean ensureBucket(S3Endpoint endpoint, String bucket) {
		try (S3Client s3 = endpoint.client()) {
			try {
				s3.headBucket(request -> request.bucket(bucket));
				return false;
			}
			catch (NoSuchBucketException ex) {
				s3.createBucket(request -> request.bucket(bucket));
				return true;
			}
		}
	}

	private void loadSampleData() {
		say("Loading sample data into " + this.sample.jdbcUrl() + " ...");
		List<SampleData.Loaded> loaded = SampleData.load(this.sample);
		List<String> parts = new ArrayList<>();
		for (SampleData.Loaded table : loaded) {
			parts.add(table.name() + " " + table.rows() + " rows" + (table.reloaded() ? "" : " (already there)"));
		}
		say("Loaded sample data: " + String.join(", ", parts));
	}

	private List<String> listJobs(FerryJar ferry) {
		say("Asking the jar which jobs it has: ferry jobs");
		// a job exists in a deployment once it is configured: ask with every job's
		// settings
		Map<String, String> environment = new LinkedHashMap<>(repositoryEnvironment());
		this.jobSetups.values().forEach(setup -> environment.putAll(setup.apply(this).environment()));
		FerryJar.Result result = ferry.run(environment, List.of("jobs"), line -> {
		});
		if (result.exitCode() != 0) {
			result.lines().forEach(FerryDemo::child);
			throw new IllegalStateException("'ferry jobs' exited with " + result.exitCode());
		}
		// the jar logs through Spring Boot; job names are the lines without spaces
		List<String> jobs = result.lines()
			.stream()
			.map(String::strip)
			.filter(line -> line.matches("[A-Za-z0-9_.-]+"))
			.toList();
		if (jobs.isEmpty()) {
			say("The jar has no jobs yet ('ferry jobs' listed none): nothing to run.");
		}
		else {
			say("Jobs: " + String.join(", ", jobs));
		}
		return jobs;
	}

	private Map<String, Integer> runJobs(FerryJar ferry, List<String> jobs) {
		Map<String, Integer> exitCodes = new LinkedHashMap<>();
		List<String> order = new ArrayList<>(this.jobSetups.keySet());
		List<String> ordered = jobs.stream()
			.sorted(java.util.Comparator.comparingInt(job -> order.contains(job) ? order.indexOf(job) : order.size()))
			.toList();
		for (String job : ordered) {
			Invocation invocation = Optional.ofNullable(this.jobSetups.get(job))
				.map(setup -> setup.apply(this))
				.orElseGet(() -> new Invocation(Map.of(), List.of()));
			Map<String, String> environment = environmentOf(invocation);
			List<String> arguments = runArguments(job, invocation);
			say("Running: ferry " + String.join(" ", arguments)
					+ (this.jobSetups.containsKey(job) ? "" : " (no demo settings for this job: repository only)"));
			long start = System.nanoTime();
			int exitCode = ferry.run(environment, arguments, FerryDemo::child).exitCode();
			exitCodes.put(job, exitCode);
			say("ferry run " + job + " exited with " + exitCode + " " + exitMeaning(exitCode) + " after "
					+ format(Duration.ofNanos(System.nanoTime() - start)));
		}
		return exitCodes;
	}

	/**
	 * Runs the demo's jobs, the dump then the mirror of it, in one JVM that writes an AOT
	 * cache when it exits ({@code ferry --aot-training run tableDump ... ; run s3Mirror
	 * ...}): one cache holds what every job loads, so that each starts from it. The JVM
	 * has no options but the cache's: the cache is used by JVMs started with the image's
	 * options, and the heap size does not change what it holds.
	 */
	private int trainAotCache(Path output) {
		Map<String, String> environment = new LinkedHashMap<>(repositoryEnvironment());
		List<String> arguments = new ArrayList<>(List.of(AOT_TRAINING));
		this.jobSetups.forEach((job, setup) -> {
			Invocation invocation = setup.apply(this);
			environment.putAll(invocation.environment());
			if (arguments.size() > 1) {
				arguments.add(";");
			}
			arguments.addAll(runArguments(job, invocation));
		});
		say("Training the AOT cache " + output + ": ferry " + String.join(" ", arguments));
		FerryJar ferry = new FerryJar(this.jar, List.of("-XX:AOTCacheOutput=" + output));
		int exitCode = ferry.run(environment, arguments, FerryDemo::child).exitCode();
		long size = output.toFile().length();
		if (exitCode != 0 || size == 0) {
			say("The training run exited with " + exitCode + " " + exitMeaning(exitCode)
					+ ((size == 0) ? " and wrote no cache" : "") + ": no AOT cache");
			return 1;
		}
		say(String.format(Locale.ROOT, "AOT cache written: %s (%.0f MiB). Demo took %s.", output,
				size / (1024.0 * 1024.0), elapsed()));
		return 0;
	}

	/**
	 * Writes the environment of a table dump against the running servers, then keeps them
	 * up until the JVM is stopped. The file is written whole, then moved into place:
	 * whoever waits for it never reads half of it.
	 */
	private int serve(Path environmentFile) {
		List<String> tables = SampleData.TABLES.stream().map(SampleData.Table::name).toList();
		Map<String, String> environment = environmentOf(tableDump());
		// the job parameter, as the CronJob passes it: args "tables=$(TABLES)"
		environment.put("TABLES", String.join(",", tables));
		StringBuilder lines = new StringBuilder();
		environment.forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
		try {
			Files.createDirectories(environmentFile.getParent());
			Path partial = environmentFile.resolveSibling(environmentFile.getFileName() + ".partial");
			Files.writeString(partial, lines);
			Files.move(partial, environmentFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the environment file " + environmentFile, ex);
		}
		say("Serving: the environment of 'ferry run tableDump tables=" + String.join(",", tables) + "' is in "
				+ environmentFile + "; dumps land in " + display(this.aws.dataDir().resolve(INTERMEDIATE_BUCKET))
				+ ". Stop with SIGTERM or Ctrl-C.");
		try {
			Thread.currentThread().join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return 0;
	}

	private Invocation tableDump() {
		FerrySettings settings = new FerrySettings().database("ferry.table-dump.source", this.sample)
			.s3Location("ferry.table-dump.target", this.aws.endpoint(), INTERMEDIATE_BUCKET)
			// S3Proxy implements no server-side encryption; production keeps the AES256
			// default
			.set("ferry.table-dump.encryption.algorithm", "NONE")
			.set("ferry.table-dump.pipeline-success-flag", "true");
		Map<String, String> environment = settings.asEnvironment();
		List<String> tables = SampleData.TABLES.stream().map(SampleData.Table::name).toList();
		return new Invocation(environment, List.of("tables=" + String.join(",", tables)));
	}

	/** The dumps from the "AWS" store to the "Ceph" one, as seed 002's sync job does. */
	private Invocation s3Mirror() {
		FerrySettings settings = new FerrySettings()
			.s3Location("ferry.s3-mirror.mirrors.datahub.source", this.aws.endpoint(), INTERMEDIATE_BUCKET)
			.s3Location("ferry.s3-mirror.mirrors.datahub.target", this.ceph.endpoint(), DATAHUB_BUCKET)
			// S3Proxy implements no server-side encryption; production keeps AES256 or
			// AWS_KMS
			.set("ferry.s3-mirror.mirrors.datahub.encryption.algorithm", "NONE");
		return new Invocation(settings.asEnvironment(), List.of("mirror=datahub"));
	}

	/** The repository's settings and the job's own. */
	private Map<String, String> environmentOf(Invocation invocation) {
		Map<String, String> environment = new LinkedHashMap<>(repositoryEnvironment());
		environment.putAll(invocation.environment());
		return environment;
	}

	private static List<String> runArguments(String job, Invocation invocation) {
		List<String> arguments = new ArrayList<>(List.of("run", job));
		arguments.addAll(invocation.parameters());
		return arguments;
	}

	private Map<String, String> repositoryEnvironment() {
		return FerrySettings.repository(this.repository).asEnvironment();
	}

	private void listObjects() {
		for (S3ProxyServer server : List.of(this.aws, this.ceph)) {
			String bucket = (server == this.aws) ? INTERMEDIATE_BUCKET : DATAHUB_BUCKET;
			List<String> objects = new ArrayList<>();
			try (S3Client s3 = server.endpoint().client()) {
				for (S3Object object : s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()) {
					objects.add(String.format("%12d  %s", object.size(), object.key()));
				}
			}
			say("s3://" + bucket + " (" + display(server.dataDir().resolve(bucket)) + ") holds " + objects.size()
					+ " object" + ((objects.size() == 1) ? "" : "s") + (objects.isEmpty() ? "" : ":"));
			objects.forEach(FerryDemo::child);
		}
	}

	private void printHistory(FerryJar ferry) {
		say("History: ferry history");
		FerryJar.Result result = ferry.run(repositoryEnvironment(), List.of("history"), line -> {
		});
		// the table without Spring Boot's log lines (if any)
		result.lines()
			.stream()
			.filter(line -> !line.matches("^\\d{4}-\\d\\d-\\d\\dT.*") && !line.startsWith("WARNING:"))
			.forEach(System.out::println);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("'ferry history' exited with " + result.exitCode());
		}
	}

	private void keepRunning() {
		say("Servers keep running until you press Ctrl-C. Try:");
		child("psql " + psqlUrl(this.repository) + " -X -f db/queries/last-night.sql");
		child("psql " + psqlUrl(this.sample) + " -c 'TABLE customers LIMIT 5'");
		child("SPRING_DATASOURCE_URL=" + this.repository.jdbcUrl()
				+ " SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=postgres java -jar "
				+ display(this.jar) + " history");
		try {
			Thread.currentThread().join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String psqlUrl(PostgresDatabase database) {
		return "postgresql://" + database.username() + ":" + database.password() + "@" + database.host() + ":"
				+ database.port() + "/" + database.name();
	}

	private void stopServers() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		List<String> stoppedNames = new ArrayList<>();
		for (AutoCloseable server : new AutoCloseable[] { this.ceph, this.aws, this.postgres }) {
			if (server == null) {
				continue;
			}
			try {
				server.close();
				stoppedNames.add((server == this.postgres) ? "PostgreSQL"
						: "S3Proxy '" + ((server == this.aws) ? "aws" : "ceph") + "'");
			}
			catch (Exception ex) {
				say("Could not stop " + server + ": " + ex.getMessage());
			}
		}
		if (!stoppedNames.isEmpty()) {
			say("Stopped " + String.join(", ", stoppedNames) + "; their state stays in " + display(this.stateDir));
		}
	}

	/**
	 * A PostgreSQL that an earlier demo left running (its JVM was killed) holds the data
	 * directory: stop it, or the new server cannot start.
	 */
	private static void stopLeftoverPostgres(Path dataDir) {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.isRegularFile(pidFile)) {
			return;
		}
		long pid;
		try {
			pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
		}
		catch (IOException | RuntimeException ex) {
			return;
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid)
			.filter(handle -> handle.info().command().map(command -> command.endsWith("postgres")).orElse(false));
		if (process.isEmpty()) {
			return;
		}
		say("A PostgreSQL from an earlier demo still runs on " + display(dataDir) + " (pid " + pid + "): stopping it");
		process.get().destroy();
		try {
			process.get().onExit().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("PostgreSQL pid " + pid + " did not stop; stop it by hand (kill " + pid
					+ ") and run the demo again", ex);
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String summary(Map<String, Integer> exitCodes) {
		if (exitCodes.isEmpty()) {
			return "No job ran.";
		}
		long failed = exitCodes.values().stream().filter(code -> code != 0).count();
		if (failed == 0) {
			return "All " + exitCodes.size() + " job run" + ((exitCodes.size() == 1) ? "" : "s") + " exited 0.";
		}
		List<String> failures = new ArrayList<>();
		exitCodes.forEach((job, code) -> {
			if (code != 0) {
				failures.add(job + " exited " + code + " " + exitMeaning(code));
			}
		});
		return failed + " of " + exitCodes.size() + " job runs did not succeed: " + String.join(", ", failures) + ".";
	}

	private static String exitMeaning(int exitCode) {
		return switch (exitCode) {
			case 0 -> "(ok)";
			case 1 -> "(failed)";
			case 2 -> "(usage error)";
			case 3 -> "(stopped)";
			case 4 -> "(already running)";
			case 5 -> "(not restartable)";
			case 6 -> "(configuration error)";
			default -> "";
		};
	}

	private String elapsed() {
		return format(Duration.ofNanos(System.nanoTime() - this.startNanos));
	}

	private static String format(Duration duration) {
		return String.format("%.1f s", duration.toMillis() / 1000.0);
	}

	private static String display(Path path) {
		Path cwd = Path.of("").toAbsolutePath();
		return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
	}

	static void say(String message) {
		System.out.println("[demo] " + message);
		System.out.flush();
	}

	static void child(String line) {
		System.out.println("  | " + line);
		System.out.flush();
	}

}
