package dev.ferry.tabledump;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Gzip members made by libdeflate (https://github.com/ebiggers/libdeflate), called
 * through the Foreign Function and Memory API: at the same level the same format as
 * zlib's, decoded by every gzip reader, for about half of zlib's CPU. Deflate is most of
 * a dump's CPU, so on a pod of a few cores this is most of its wall time too.
 * <p>
 * libdeflate compresses a whole buffer at once, which is what a block is: {@code
 * libdeflate_gzip_compress} writes the complete member (header, deflate stream, CRC-32,
 * length). The block is copied into native memory and the member back: a memcpy costs
 * about a hundredth of deflating the same bytes, and it keeps the downcall an ordinary
 * one. A critical downcall could read the Java arrays in place, but the garbage collector
 * would then wait for every block being compressed (up to 20 ms at level 6 on
 * incompressible data) before it could pause the threads reading COPY.
 * <p>
 * The library is Debian's and Ubuntu's {@code libdeflate0} ({@code libdeflate.so.0}),
 * loaded once per JVM; {@link #library()} says why when it cannot be.
 * <p>
 * Not thread-safe: one per compressor thread, each with its own native compressor (a few
 * hundred KiB at levels 1 to 9) and buffers (a block and its bound), freed by
 * {@link #close()}, which may be called from another thread.
 */
final class LibdeflateMemberDeflater implements MemberDeflater {

	/** The names dlopen is asked for, in turn. */
	private static final List<String> LIBRARY_NAMES = List.of("libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib",
			"libdeflate.dylib");

	private static final @Nullable Functions FUNCTIONS;

	private static final String LIBRARY;

	static {
		Functions functions = null;
		String library;
		try {
			Loaded loaded = load();
			functions = loaded.functions();
			library = loaded.name();
		}
		catch (RuntimeException | LinkageError ex) {
			library = ex.getMessage() != null ? ex.getMessage() : ex.toString();
		}
		FUNCTIONS = functions;
		LIBRARY = library;
	}

	private final MemorySegment compressor;

	private final Functions functions;

	/** Owns the native buffers; shared, so that the pool's closer may free them. */
	private Arena buffers = Arena.ofShared();

	private MemorySegment csv = MemorySegment.NULL;

	private MemorySegment member = MemorySegment.NULL;

	private boolean closed;

	/**
	 * @param level 1 (fastest) to 9: libdeflate's levels 1 to 9 are zlib's in speed and
	 * size, give or take a few per cent (10 to 12 go further, and are not offered)
	 * @throws IllegalStateException when libdeflate is not available
	 */
	LibdeflateMemberDeflater(int level) {
		this.functions = require();
		try {
			this.compressor = (MemorySegment) this.functions.alloc().invokeExact(level);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("libdeflate_alloc_compressor(" + level + ") failed: " + ex, ex);
		}
		if (this.compressor.equals(MemorySegment.NULL)) {
			throw new IllegalStateException(
					"libdeflate_alloc_compressor(" + level + ") returned NULL: out of memory or a bad level");
		}
	}

	/** Whether libdeflate could be loaded. */
	static boolean available() {
		return FUNCTIONS != null;
	}

	/** The library loaded, e.g. {@code libdeflate.so.0}, or why none could be. */
	static String library() {
		return LIBRARY;
	}

	@Override
	public void compress(GzipBlock block) {
		if (this.closed) {
			throw new IllegalStateException("libdeflate compressor used after close");
		}
		int csvLength = block.csvLength;
		long length;
		try {
			ensureBuffers(csvLength);
			MemorySegment.copy(block.csv, 0, this.csv, ValueLayout.JAVA_BYTE, 0, csvLength);
			length = (long) this.functions.compress()
				.invokeExact(this.compressor, this.csv, (long) csvLength, this.member, this.member.byteSize());
		}
		catch (Throwable ex) {
			throw new IllegalStateException(
					"libdeflate_gzip_compress failed on a block of " + csvLength + " bytes: " + ex, ex);
		}
		if (length == 0) {
			// cannot happen within libdeflate's own bound: a loud failure, not a
			// truncated member
			throw new IllegalStateException(
					"gzip member of " + csvLength + " bytes exceeds libdeflate's bound of " + this.member.byteSize());
		}
		// the bound, not the length: the array is then allocated once, not per larger
		// member
		block.ensureMemberCapacity((int) this.member.byteSize());
		MemorySegment.copy(this.member, ValueLayout.JAVA_BYTE, 0, block.member, 0, (int) length);
		block.memberLength = (int) length;
	}

	/**
	 * Native buffers for a block of this size and its largest member, made once (blocks
	 * have one size) and again only for a larger block.
	 */
	private void ensureBuffers(int csvLength) throws Throwable {
		if (this.csv.byteSize() >= csvLength && !this.member.equals(MemorySegment.NULL)) {
			return;
		}
		long capacity = Math.max(csvLength, GzipPart.BLOCK_SIZE);
		long bound = (long) this.functions.bound().invokeExact(this.compressor, capacity);
		this.buffers.close();
		this.buffers = Arena.ofShared();
		this.csv = this.buffers.allocate(capacity);
		this.member = this.buffers.allocate(bound);
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.buffers.close();
			try {
				this.functions.free().invokeExact(this.compressor);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("libdeflate_free_compressor failed: " + ex, ex);
			}
		}
	}

	private static Functions require() {
		Functions functions = FUNCTIONS;
		if (functions == null) {
			throw new IllegalStateException("libdeflate is not available: " + LIBRARY);
		}
		return functions;
	}

	private static Loaded load() {
		List<String> failures = new ArrayList<>();
		for (String name : LIBRARY_NAMES) {
			SymbolLookup library;
			try {
				// the global arena: the library stays loaded as long as the JVM
				library = SymbolLookup.libraryLookup(name, Arena.global());
			}
			catch (IllegalArgumentException ex) {
				failures.add(name);
				continue;
			}
			return new Loaded(name, link(library, name));
		}
		throw new IllegalStateException("libdeflate not found (tried " + String.join(", ", failures)
				+ "; Debian and Ubuntu: apt-get install libdeflate0)");
	}

	private static Functions link(SymbolLookup library, String name) {
		Linker linker = Linker.nativeLinker();
		// size_t is 64 bits on every platform a JDK 25 runs Ferry on
		ValueLayout sizeT = ValueLayout.JAVA_LONG;
		MethodHandle alloc = linker.downcallHandle(symbol(library, name, "libdeflate_alloc_compressor"),
				FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
		MethodHandle bound = linker.downcallHandle(symbol(library, name, "libdeflate_gzip_compress_bound"),
				FunctionDescriptor.of(sizeT, ValueLayout.ADDRESS, sizeT));
		MethodHandle compress = linker.downcallHandle(symbol(library, name, "libdeflate_gzip_compress"),
				FunctionDescriptor.of(sizeT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, sizeT, ValueLayout.ADDRESS,
						sizeT));
		MethodHandle free = linker.downcallHandle(symbol(library, name, "libdeflate_free_compressor"),
				FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
		return new Functions(alloc, bound, compress, free);
	}

	private static MemorySegment symbol(SymbolLookup library, String name, String function) {
		return library.find(function)
			.orElseThrow(() -> new IllegalStateException(
					name + " has no function " + function + ": not libdeflate, or a version older than 1.0"));
	}

	private record Loaded(String name, Functions functions) {
	}

	/** Downcall handles of the four functions Ferry uses. */
	private record Functions(MethodHandle alloc, MethodHandle bound, MethodHandle compress, MethodHandle free) {
	}

}
