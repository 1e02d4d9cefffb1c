package dev.ferry.testkit;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a {@link Clamd} (Debian's clamd as a child process, test
 * signature database with only EICAR, limits {@link Clamd#DEFAULT_MAX_BYTES}). One daemon
 * per test JVM, started on first use (well under a second) and stopped when the test run
 * ends (root {@link ExtensionContext} store) or, at the latest, when the JVM exits.
 * <p>
 * Use:
 *
 * <pre class="code">
 * &#64;ExtendWith(ClamdExtension.class)
 * class ScanTest {
 *
 *     &#64;Test
 *     void findsEicar(Clamd clamd) {
 *         assertThat(clamd.scan(Clamd.eicar())).isEqualTo(Clamd.EICAR_FOUND);
 *         // or point the code under test at clamd.host():clamd.port()
 *     }
 *
 * }
 * </pre>
 *
 * Parameters of type {@link Clamd} are resolved; elsewhere call {@link #clamd()}. A test
 * that needs other limits starts its own with {@link Clamd#start(Path, long)}.
 * <p>
 * State: a new directory {@code clamd-*} under system property
 * {@code ferry.testkit.work-dir} (surefire: {@code target/test-servers}), deleted when
 * the daemon stops. Fails (never skips) with {@value Clamd#NOT_INSTALLED} where clamd is
 * missing.
 * <p>
 * Thread-safe: the daemon starts exactly once per JVM.
 */
public final class ClamdExtension implements BeforeAllCallback, ParameterResolver {

	private static final SharedServer<TempClamd> shared = new SharedServer<>("clamd", () -> {
		Path dir = ServerSupport.newTempDir("clamd-");
		return new TempClamd(Clamd.start(dir), dir);
	});

	/**
	 * @return the shared daemon, started if needed
	 */
	public static Clamd clamd() {
		return shared.get().clamd();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		shared.get();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == Clamd.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return shared.get().clamd();
	}

	private record TempClamd(Clamd clamd, Path dir) implements AutoCloseable {

		@Override
		public void close() {
			try {
				this.clamd.close();
			}
			finally {
				ServerSupport.deleteQuietly(this.dir);
			}
		}

	}

}
