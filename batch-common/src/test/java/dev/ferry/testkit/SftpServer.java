package dev.ferry.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server (Apache MINA SSHD, in this JVM) on {@code 127.0.0.1}: only the SFTP
 * subsystem (no shell, no exec, no forwarding), only <b>public key</b> authentication,
 * for the single user {@value #USER}, whose key pair the server generates. Clients see a
 * virtual root directory and cannot leave it ({@code ..} and absolute paths stay inside).
 * <p>
 * Keys are ECDSA P-256 (supported by the JDK, JSch and OpenSSH without extra providers),
 * written in OpenSSH format. The host key is <b>fixed</b>: generated on first start and
 * reused by every later start with the same state directory, so a
 * {@link #knownHostsLine()} stays valid across restarts (its port excepted). To test a
 * changed host key, start a server with {@link HostKey#DIFFERENT} (on the old port, to
 * keep the known_hosts entry applicable): it serves the same root and accepts the same
 * client key, but presents a new, never-saved host key.
 * <p>
 * State directory layout: {@code root/} (what clients see as {@code /}),
 * {@code ssh_host_ecdsa_key[.pub]} (fixed host key), {@code client_ecdsa_key[.pub]} (the
 * test user's key pair), {@code known_hosts} (line for the last fixed-key server started)
 * and {@code known_hosts.different} (for the last {@link HostKey#DIFFERENT} one).
 * <p>
 * Thread-safe: the server serves concurrent sessions; the accessors return immutable
 * values; {@link #close()} is idempotent.
 */
public final class SftpServer implements AutoCloseable {

	/** The only user name the server accepts. */
	public static final String USER = "ferry";

	private static final String KEY_TYPE = KeyPairProvider.ECDSA_SHA2_NISTP256;

	/** Which host key a server presents. */
	public enum HostKey {

		/** The state directory's fixed host key (created on first use). */
		FIXED,

		/** A freshly generated host key, different from the fixed one and never saved. */
		DIFFERENT

	}

	private final SshServer sshd;

	private final Path stateDir;

	private final int port;

	private final PublicKey hostKey;

	private final Path clientKeyFile;

	private final String clientPublicKey;

	private final Path knownHostsFile;

	private SftpServer(SshServer sshd, Path stateDir, int port, PublicKey hostKey, Path clientKeyFile,
			String clientPublicKey, Path knownHostsFile) {
		this.sshd = sshd;
		this.stateDir = stateDir;
		this.port = port;
		this.hostKey = hostKey;
		this.clientKeyFile = clientKeyFile;
		this.clientPublicKey = clientPublicKey;
		this.knownHostsFile = knownHostsFile;
	}

	/**
	 * Starts a server with the fixed host key on a free port.
	 * @param stateDir the state directory (created if missing; may hold keys and files
	 * from an earlier run)
	 * @return the running server
	 */
	public static SftpServer start(Path stateDir) {
		return start(stateDir, 0, HostKey.FIXED);
	}

	/**
	 * Starts a server.
	 * @param stateDir the state directory (created if missing)
	 * @param port the port on 127.0.0.1, or 0 for a free one (a given port is typically
	 * the one of a server just closed, to test a changed host key)
	 * @param hostKey which host key to present
	 * @return the running server
	 */
	public static SftpServer start(Path stateDir, int port, HostKey hostKey) {
		Path dir = ServerSupport.createDirectories(stateDir.toAbsolutePath());
		Path root = ServerSupport.createDirectories(dir.resolve("root"));
		KeyPair hostKeyPair = (hostKey == HostKey.FIXED) ? loadOrCreateKey(dir.resolve("ssh_host_ecdsa_key"), "host")
				: generateKey();
		Path clientKeyFile = dir.resolve("client_ecdsa_key");
		KeyPair clientKeyPair = loadOrCreateKey(clientKeyFile, USER);
		PublicKey clientPublic = clientKeyPair.getPublic();

		SshServer sshd = SshServer.setUpDefaultServer();
		sshd.setHost(ServerSupport.LOOPBACK);
		sshd.setPort(port);
		sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKeyPair));
		sshd.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
		sshd.setPublickeyAuthenticator(
				(username, key, session) -> USER.equals(username) && KeyUtils.compareKeys(clientPublic, key));
		sshd.setPasswordAuthenticator(null);
		sshd.setKeyboardInteractiveAuthenticator(null);
		sshd.setGSSAuthenticator(null);
		sshd.setHostBasedAuthenticator(null);
		sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
		sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
		try {
			sshd.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"cannot start the SFTP server on " + ServerSupport.LOOPBACK + ":" + port + ": " + ex.getMessage(),
					ex);
		}
		int boundPort = boundPort(sshd);
		String hostKeyEntry = PublicKeyEntry.toString(hostKeyPair.getPublic());
		Path knownHosts = dir.resolve((hostKey == HostKey.FIXED) ? "known_hosts" : "known_hosts.different");
		writeString(knownHosts, knownHostsLine(boundPort, hostKeyEntry) + "\n", false);
		return new SftpServer(sshd, dir, boundPort, hostKeyPair.getPublic(), clientKeyFile,
				PublicKeyEntry.toString(clientPublic) + " " + USER, knownHosts);
	}

	private static int boundPort(SshServer sshd) {
		for (SocketAddress address : sshd.getBoundAddresses()) {
			if (address instanceof InetSocketAddress inet) {
				return inet.getPort();
			}
		}
		return sshd.getPort();
	}

	private static String knownHostsLine(int port, String hostKeyEntry) {
		String host = (port == 22) ? ServerSupport.LOOPBACK : "[" + ServerSupport.LOOPBACK + "]:" + port;
		return host + " " + hostKeyEntry;
	}

	private static KeyPair generateKey() {
		try {
			return KeyUtils.generateKeyPair(KEY_TYPE, 256);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot generate an " + KEY_TYPE + " key", ex);
		}
	}

	/** Reads an OpenSSH private key file, or generates the key and writes the file. */
	private static synchronized KeyPair loadOrCreateKey(Path file, String comment) {
		try {
			if (Files.isRegularFile(file)) {
				try (InputStream in = Files.newInputStream(file)) {
					Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null,
							NamedResource.ofName(file.toString()), in, null);
					Iterator<KeyPair> iterator = (keys != null) ? keys.iterator() : null;
					if (iterator == null || !iterator.hasNext()) {
						throw new IllegalStateException("no key in " + file + "; delete it to get a new one");
					}
					return iterator.next();
				}
			}
			KeyPair keyPair = generateKey();
			ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
			OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, comment, null, privateKey);
			writeString(file, privateKey.toString(StandardCharsets.US_ASCII), true);
			writeString(file.resolveSibling(file.getFileName() + ".pub"),
					PublicKeyEntry.toString(keyPair.getPublic()) + " " + comment + "\n", false);
			return keyPair;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read or write key file " + file, ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot read or write key file " + file, ex);
		}
	}

	/**
	 * Writes through a temporary file and an atomic rename, so readers never see half a
	 * key.
	 */
	private static void writeString(Path file, String content, boolean ownerOnly) {
		try {
			Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
			Files.writeString(tmp, content, StandardCharsets.US_ASCII);
			if (ownerOnly) {
				Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
			}
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write " + file, ex);
		}
	}

	/**
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return ServerSupport.LOOPBACK;
	}

	/**
	 * @return the port the server listens on
	 */
	public int port() {
		return this.port;
	}

	/**
	 * @return {@value #USER}
	 */
	public String user() {
		return USER;
	}

	/**
	 * @return the state directory
	 */
	public Path stateDir() {
		return this.stateDir;
	}

	/**
	 * @return the local directory clients see as {@code /}
	 */
	public Path rootDir() {
		return this.stateDir.resolve("root");
	}

	/**
	 * The path a client uses for a local file or directory under {@link #rootDir()}.
	 * @param local a path under the root directory
	 * @return the absolute remote path, for example {@code /inbox/a.csv}
	 * @throws IllegalArgumentException if {@code local} is outside the root directory
	 */
	public String remotePath(Path local) {
		Path relative = rootDir().relativize(local.toAbsolutePath().normalize());
		if (relative.startsWith("..")) {
			throw new IllegalArgumentException(local + " is not under the SFTP root " + rootDir());
		}
		return "/" + relative.toString().replace('\\', '/');
	}

	/**
	 * @return the host public key the server presents
	 */
	public PublicKey hostPublicKey() {
		return this.hostKey;
	}

	/**
	 * @return the host key in OpenSSH public key format, for example
	 * {@code ecdsa-sha2-nistp256 AAAA...}
	 */
	public String hostKeyEntry() {
		return PublicKeyEntry.toString(this.hostKey);
	}

	/**
	 * @return the host key's fingerprint as OpenSSH shows it, for example
	 * {@code SHA256:...}
	 */
	public String hostKeyFingerprint() {
		return KeyUtils.getFingerPrint(this.hostKey);
	}

	/**
	 * @return the known_hosts line for this server, {@code [127.0.0.1]:<port> <key type>
	 * <key>}
	 */
	public String knownHostsLine() {
		return knownHostsLine(this.port, hostKeyEntry());
	}

	/**
	 * @return a known_hosts file holding only {@link #knownHostsLine()}
	 */
	public Path knownHostsFile() {
		return this.knownHostsFile;
	}

	/**
	 * @return the test user's private key file (OpenSSH format, unencrypted, mode 600)
	 */
	public Path clientPrivateKeyFile() {
		return this.clientKeyFile;
	}

	/**
	 * @return the content of {@link #clientPrivateKeyFile()}
	 */
	public byte[] clientPrivateKey() {
		try {
			return Files.readAllBytes(this.clientKeyFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + this.clientKeyFile, ex);
		}
	}

	/**
	 * @return the test user's public key as an authorized_keys line
	 */
	public String clientPublicKey() {
		return this.clientPublicKey;
	}

	/**
	 * @return whether the server accepts connections
	 */
	public boolean isRunning() {
		return this.sshd.isStarted();
	}

	/**
	 * Adds a listener to the SFTP subsystem's events: for a test that changes the files
	 * at a precise moment of a client's request (a folder removed as the client opens
	 * it).
	 * @param listener called on the server's threads
	 */
	public void addEventListener(SftpEventListener listener) {
		for (SubsystemFactory factory : this.sshd.getSubsystemFactories()) {
			if (factory instanceof SftpSubsystemFactory sftp) {
				sftp.addSftpEventListener(listener);
			}
		}
	}

	/** Stops the server and drops open sessions; keeps the state directory. */
	@Override
	public void close() {
		try {
			this.sshd.stop(true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot stop the SFTP server on port " + this.port, ex);
		}
	}

	@Override
	public String toString() {
		return "SftpServer[" + USER + "@" + ServerSupport.LOOPBACK + ":" + this.port + ", root " + rootDir() + "]";
	}

}
