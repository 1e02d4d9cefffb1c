package dev.ferry.common.crypto;

import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.jspecify.annotations.Nullable;

/**
 * Puts the Amazon Corretto Crypto Provider (ACCP: AWS-LC, native code) first in the JCA
 * provider list, so that every {@link MessageDigest}, {@code Mac} and AES-GCM
 * {@code Cipher} of the process is native: the SHA-256 of SigV4 payload signatures and of
 * ingest's ledger, Content-MD5, TLS and SSH's AES-GCM. Ferry runs with the client
 * compiler only (see the Dockerfile), which has no intrinsics for these: the JDK's own
 * SHA-256 then hashes 160 MiB/s on the project's machine, ACCP 1.8 GiB/s.
 * <p>
 * The commands that run a job call {@link #start()} first thing: loading the 10 MB native
 * library takes about 150 ms of CPU, so it loads on a thread of its own while Spring
 * starts, and a job {@link #await()}s it before it moves any byte (what asked the JCA for
 * an algorithm in between got the JDK's, which is only slower). Other commands (history,
 * stop, ...) never load it: on a pod's one or two cores it only slowed their start-up;
 * {@code main} just {@link #checkChoice() checks the choice}. {@code FERRY_CRYPTO=jdk}
 * (or {@code -Dferry.crypto=jdk}) keeps the JDK's providers; where ACCP's native library
 * cannot load (another platform, a {@code /tmp} that forbids executables), the JDK's
 * providers stay too, and the status says why. Algorithms ACCP lacks (AES-CTR, for
 * example) still come from the JDK.
 * <p>
 * Thread-safe: starting is synchronized; the loading thread publishes an immutable
 * status.
 */
public final class NativeCrypto {

	/**
	 * The environment variable choosing the providers: {@code native} (default) or
	 * {@code jdk}.
	 */
	public static final String ENVIRONMENT_VARIABLE = "FERRY_CRYPTO";

	/** The system property that overrides {@link #ENVIRONMENT_VARIABLE}. */
	public static final String PROPERTY = "ferry.crypto";

	private static @Nullable CompletableFuture<Status> loading;

	private NativeCrypto() {
	}

	/**
	 * What installing did.
	 *
	 * @param active whether ACCP is the first provider
	 * @param fellBack whether ACCP was asked for but could not be installed
	 * @param description one line for {@code ferry --version} and the logs
	 */
	public record Status(boolean active, boolean fellBack, String description) {

	}

	/**
	 * Checks the choice of {@value #PROPERTY} or {@value #ENVIRONMENT_VARIABLE} without
	 * loading anything, so that a wrong value fails every command, also those that never
	 * {@link #start()}.
	 * @throws IllegalArgumentException for another value than {@code native} or
	 * {@code jdk}
	 */
	public static void checkChoice() {
		choice();
	}

	/**
	 * Starts installing ACCP on a thread of its own, unless {@value #PROPERTY} or
	 * {@value #ENVIRONMENT_VARIABLE} says {@code jdk}; later calls do nothing.
	 * @throws IllegalArgumentException for another value than {@code native} or
	 * {@code jdk}
	 */
	public static synchronized void start() {
		if (loading != null) {
			return;
		}
		Choice choice = choice();
		CompletableFuture<Status> future = new CompletableFuture<>();
		loading = future;
		Thread loader = new Thread(() -> future.complete(install(choice.value(), choice.source())), "native-crypto");
		loader.setDaemon(true);
		loader.start();
	}

	/**
	 * Waits until installing is done; {@link #start()}s it if nobody did.
	 * @return what was done
	 */
	public static Status await() {
		CompletableFuture<Status> future;
		synchronized (NativeCrypto.class) {
			start();
			future = loading;
		}
		return future.join();
	}

	/**
	 * The choice as given: {@code native} (also when unset) or {@code jdk}, and where.
	 */
	private static Choice choice() {
		String mode = System.getProperty(PROPERTY);
		String source = "-D" + PROPERTY;
		if (mode == null) {
			mode = System.getenv(ENVIRONMENT_VARIABLE);
			source = ENVIRONMENT_VARIABLE;
		}
		String choice = (mode == null || mode.isBlank()) ? "native" : mode.trim().toLowerCase(Locale.ROOT);
		if (!choice.equals("native") && !choice.equals("jdk")) {
			throw new IllegalArgumentException(
					source + "=" + mode + " is not a crypto provider choice: use native (the default) or jdk");
		}
		return new Choice(choice, source);
	}

	private record Choice(String value, String source) {
	}

	private static Status install(String choice, String source) {
		if (choice.equals("jdk")) {
			return new Status(false, false, "JDK providers (" + source + "=jdk)");
		}
		AmazonCorrettoCryptoProvider accp;
		try {
			accp = AmazonCorrettoCryptoProvider.INSTANCE;
		}
		catch (LinkageError ex) {
			return new Status(false, true, "JDK providers: the native provider could not load (" + ex + ")");
		}
		Throwable error = accp.getLoadingError();
		if (error != null) {
			return new Status(false, true,
					"JDK providers: the native provider " + accp.getName() + " could not load (" + error + ")");
		}
		AmazonCorrettoCryptoProvider.install();
		boolean first = firstIs(accp);
		return new Status(first, !first, accp.getName() + " " + accp.getVersionStr() + " (AWS-LC, native)");
	}

	private static boolean firstIs(Provider provider) {
		Provider[] providers = Security.getProviders();
		return providers.length > 0 && providers[0] == provider;
	}

}
