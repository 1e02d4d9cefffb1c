package dev.ferry.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests the real Ceph RADOS Gateway ({@link CephRgw}). The first
 * test class that needs it in a JVM runs the project's own
 * {@code batch-common/src/test/ceph/start.sh} (found from the working directory, see
 * {@link CephRgw#locateCephDir()}; about 1 s when the cluster runs already); the cluster
 * keeps running after the test JVM ends so that the next JVM finds it.
 * <p>
 * Use:
 *
 * <pre class="code">
 * &#64;ExtendWith(CephRgwExtension.class)
 * class CephStoreTest {
 *
 *     &#64;Test
 *     void writesEncrypted(CephRgw rgw) {
 *         S3Endpoint ceph = rgw.endpoint();
 *         String bucket = ceph.createBucket("writes-encrypted");
 *         ...
 *     }
 *
 * }
 * </pre>
 *
 * Parameters of type {@link CephRgw} are resolved; elsewhere (for example in a
 * {@code @DynamicPropertySource} method) call {@link #rgw()} or {@link #endpoint()}.
 * <p>
 * State: {@link CephRgw#defaultDataDir()} ({@value CephRgw#DEFAULT_DATA_DIR} unless
 * system property {@value CephRgw#DATA_DIR_PROPERTY} says otherwise). Buckets outlive the
 * test run, so tests create uniquely named buckets
 * ({@link S3Endpoint#createBucket(String)}).
 * <p>
 * Thread-safe: {@code start.sh} runs at most once per JVM.
 */
public final class CephRgwExtension implements BeforeAllCallback, ParameterResolver {

	private static final SharedServer<CephRgw> shared = new SharedServer<>("Ceph RGW", CephRgw::start);

	/**
	 * @return the running gateway, started if needed
	 */
	public static CephRgw rgw() {
		return shared.get();
	}

	/**
	 * @return the gateway's S3 endpoint, started if needed
	 */
	public static S3Endpoint endpoint() {
		return rgw().endpoint();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		shared.get();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == CephRgw.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return shared.get();
	}

}
