package dev.ferry.tabledump;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses blocks of CSV into gzip members on a pool of platform threads, one per CPU,
 * shared by every table being dumped. Deflate is where a dump spends most of its CPU: on
 * its own thread one table is as slow as {@code gzip}, while blocks compressed side by
 * side use every core the pod has, whether one table is dumped or several.
 * <p>
 * Each block becomes a complete member (header, deflate stream, CRC-32 and length), so
 * members can be compressed in any order and concatenated in the order of their blocks:
 * concatenated members are one gzip file (RFC 1952), which {@code gzip -d}, Java's
 * {@code GZIPInputStream} and every common reader decode as the concatenation of the
 * blocks. Starting a new deflate stream every block costs little: deflate looks back only
 * 32 KiB.
 * <p>
 * Each thread has its own {@link MemberDeflater}: libdeflate when it is installed, else
 * the JDK's zlib ({@link DeflateEngine}); the log says which at start.
 * <p>
 * Platform threads, not virtual ones: deflate runs in native code, which holds its
 * carrier thread anyway, and a fixed pool sized to the CPUs is what keeps compression
 * from crowding out the threads that read COPY and upload parts.
 * <p>
 * Thread-safe.
 */
final class GzipCompressor implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(GzipCompressor.class);

	private final int threads;

	private final ExecutorService pool;

	/** One per pool thread, kept for the life of the pool. */
	private final ThreadLocal<MemberDeflater> deflaters;

	/** Every deflater made, to free their native memory on {@link #close()}. */
	private final Queue<MemberDeflater> made = new ConcurrentLinkedQueue<>();

	GzipCompressor(int level, int threads, DeflateEngine engine) {
		this(level, threads, engine, Executors.newFixedThreadPool(threads,
				Thread.ofPlatform().name("ferry-gzip-", 1).daemon(true).factory()));
	}

	/**
	 * For tests: compresses on the given pool, which it shuts down on {@link #close()}.
	 */
	GzipCompressor(int level, int threads, DeflateEngine engine, ExecutorService pool) {
		this.threads = threads;
		IntFunction<MemberDeflater> factory = engine.resolve().deflaters();
		this.deflaters = ThreadLocal.withInitial(() -> {
			MemberDeflater deflater = factory.apply(level);
			this.made.add(deflater);
			return deflater;
		});
		this.pool = pool;
	}

	/**
	 * One thread per CPU the JVM may use (in a container, what its CPU limit allows).
	 * Logs which deflate implementation it uses.
	 */
	static GzipCompressor perCpu(int level, DeflateEngine engine) {
		int threads = Runtime.getRuntime().availableProcessors();
		DeflateEngine resolved = engine.resolve();
		logger.info("gzip level {} on {} thread(s) with {}", level, threads, resolved.describe());
		return new GzipCompressor(level, threads, resolved);
	}

	int threads() {
		return this.threads;
	}

	/**
	 * Compresses the block's CSV into its member buffer. The block must not be touched
	 * until the future is done.
	 */
	Future<GzipBlock> compress(GzipBlock block) {
		return this.pool.submit(() -> {
			this.deflaters.get().compress(block);
			return block;
		});
	}

	/**
	 * Stops the pool. Blocks that never started are cancelled, so that a table waiting
	 * for one fails instead of waiting forever. The deflaters' native memory is freed
	 * once the blocks being compressed are done (milliseconds); a pool that does not stop
	 * in time keeps it, rather than have it freed under a running compression.
	 */
	@Override
	public void close() {
		for (Runnable neverStarted : this.pool.shutdownNow()) {
			if (neverStarted instanceof Future<?> compression) {
				compression.cancel(false);
			}
		}
		try {
			if (!this.pool.awaitTermination(10, TimeUnit.SECONDS)) {
				logger.warn("gzip threads still busy after 10 s: their deflaters are not freed");
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		MemberDeflater deflater;
		while ((deflater = this.made.poll()) != null) {
			deflater.close();
		}
	}

}
