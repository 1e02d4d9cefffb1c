package dev.ferry.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests two independent S3 endpoints, each its own
 * {@link S3ProxyServer} child process: {@link Source} plays AWS S3 and {@link Target}
 * plays the Ceph store. Both start once per test JVM (in parallel, about 2 s) on first
 * use and stop when the test run ends (root {@link ExtensionContext} store). Tests share
 * them, so each test creates its own buckets ({@link S3Endpoint#createBucket(String)}).
 * <p>
 * Use:
 *
 * <pre class="code">
 * &#64;ExtendWith(S3ProxyExtension.class)
 * class CopyTest {
 *
 *     &#64;Test
 *     void copies(&#64;S3ProxyExtension.Source S3Endpoint aws, &#64;S3ProxyExtension.Target S3Endpoint ceph) {
 *         String bucket = aws.createBucket("copies");
 *         try (S3Client s3 = aws.client()) { ... }
 *     }
 *
 * }
 * </pre>
 *
 * Parameters of type {@link S3Endpoint} or {@link S3ProxyServer} annotated with
 * {@link Source} or {@link Target} are resolved. Outside parameter injection (for example
 * in a {@code @DynamicPropertySource} method) call {@link #source()} / {@link #target()}:
 * they return the same servers.
 * <p>
 * State: a new directory {@code s3proxy-*} under system property
 * {@code ferry.testkit.work-dir} (surefire: {@code target/test-servers}, else
 * {@code java.io.tmpdir/ferry-testkit}), deleted when the servers stop.
 * <p>
 * Thread-safe: the servers start exactly once even when test classes run in parallel.
 */
public final class S3ProxyExtension implements BeforeAllCallback, ParameterResolver {

	private static final SharedServer<Servers> shared = new SharedServer<>("S3Proxy", S3ProxyExtension::startServers);

	/** Marks a parameter that receives the endpoint playing AWS S3 (the source side). */
	@java.lang.annotation.Target(ElementType.PARAMETER)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	public @interface Source {

	}

	/**
	 * Marks a parameter that receives the endpoint playing the Ceph store (the target
	 * side).
	 */
	@java.lang.annotation.Target(ElementType.PARAMETER)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	public @interface Target {

	}

	/**
	 * @return the endpoint playing AWS S3, started if needed
	 */
	public static S3Endpoint source() {
		return shared.get().source().endpoint();
	}

	/**
	 * @return the endpoint playing the Ceph store, started if needed
	 */
	public static S3Endpoint target() {
		return shared.get().target().endpoint();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		shared.get();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return (type == S3Endpoint.class || type == S3ProxyServer.class)
				&& (parameterContext.isAnnotated(Source.class) || parameterContext.isAnnotated(Target.class));
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		boolean source = parameterContext.isAnnotated(Source.class);
		if (source && parameterContext.isAnnotated(Target.class)) {
			throw new ParameterResolutionException(
					"annotate " + parameterContext.getParameter() + " with @Source or @Target, not both");
		}
		Servers servers = shared.get();
		S3ProxyServer server = source ? servers.source() : servers.target();
		return (parameterContext.getParameter().getType() == S3ProxyServer.class) ? server : server.endpoint();
	}

	private static Servers startServers() {
		Path dir = ServerSupport.newTempDir("s3proxy-");
		CompletableFuture<S3ProxyServer> source = CompletableFuture
			.supplyAsync(() -> S3ProxyServer.start(dir.resolve("source")));
		CompletableFuture<S3ProxyServer> target = CompletableFuture
			.supplyAsync(() -> S3ProxyServer.start(dir.resolve("target")));
		try {
			return new Servers(source.join(), target.join(), dir);
		}
		catch (CompletionException ex) {
			source.thenAccept(S3ProxyServer::close);
			target.thenAccept(S3ProxyServer::close);
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	private record Servers(S3ProxyServer source, S3ProxyServer target, Path dir) implements AutoCloseable {

		@Override
		public void close() {
			try {
				this.source.close();
				this.target.close();
			}
			finally {
				ServerSupport.deleteQuietly(this.dir);
			}
		}

	}

}
