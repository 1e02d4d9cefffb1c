package dev.ferry.testkit;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests an {@link SftpServer} (in-process Apache MINA SSHD,
 * public key auth only, fixed host key). One server per test JVM, started on first use
 * (about 0.3 s) and stopped when the test run ends (root {@link ExtensionContext} store).
 * Tests share it, so each test works in its own directory under
 * {@link SftpServer#rootDir()}.
 * <p>
 * Use:
 *
 * <pre class="code">
 * &#64;ExtendWith(SftpServerExtension.class)
 * class UploadTest {
 *
 *     &#64;Test
 *     void uploads(SftpServer sftp) throws IOException {
 *         Path inbox = Files.createTempDirectory(sftp.rootDir(), "inbox-");
 *         String remoteDir = sftp.remotePath(inbox); // "/inbox-123..."
 *         // connect to sftp.host():sftp.port() as sftp.user() with sftp.clientPrivateKeyFile(),
 *         // trusting only sftp.knownHostsLine()
 *     }
 *
 * }
 * </pre>
 *
 * Parameters of type {@link SftpServer} are resolved; elsewhere call {@link #server()}.
 * To test a changed host key, start an extra server with
 * {@code SftpServer.start(stateDir, port, SftpServer.HostKey.DIFFERENT)} in the test
 * itself.
 * <p>
 * State: a new directory {@code sftp-*} under system property
 * {@code ferry.testkit.work-dir} (surefire: {@code target/test-servers}), deleted when
 * the server stops.
 * <p>
 * Thread-safe: the server starts exactly once per JVM.
 */
public final class SftpServerExtension implements BeforeAllCallback, ParameterResolver {

	private static final SharedServer<TempServer> shared = new SharedServer<>("SFTP server", () -> {
		Path dir = ServerSupport.newTempDir("sftp-");
		return new TempServer(SftpServer.start(dir), dir);
	});

	/**
	 * @return the shared server, started if needed
	 */
	public static SftpServer server() {
		return shared.get().server();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		shared.get();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == SftpServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return shared.get().server();
	}

	private record TempServer(SftpServer server, Path dir) implements AutoCloseable {

		@Override
		public void close() {
			try {
				this.server.close();
			}
			finally {
				ServerSupport.deleteQuietly(this.dir);
			}
		}

	}

}
