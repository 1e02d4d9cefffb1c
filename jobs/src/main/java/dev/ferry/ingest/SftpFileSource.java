package dev.ferry.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Vector;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SFTP server, through JSch: public key authentication, and a host key that must be in
 * the operator's known_hosts file ({@code StrictHostKeyChecking yes}: an unknown or
 * changed key is refused). Entries are examined with {@code LSTAT}, which does not follow
 * links: a server follows them for its client, out of the source directory and into its
 * own {@code /etc}. (Opening a file does follow a link swapped in between the check and
 * the open; SFTP has no way to refuse that.) JSch reads {@code *} and {@code ?} in paths
 * as globs, so every path is quoted.
 * <p>
 * Thread-safe: a pool of connections (an SSH session and its SFTP channel each), one per
 * call or open stream at a time, opened as they are needed (so as many as files are in
 * flight, each with its own TCP connection and cipher) and again after a dropped one; all
 * closed by {@link #close}.
 */
final class SftpFileSource implements FileSource {

	private static final Logger logger = LoggerFactory.getLogger(SftpFileSource.class);

	/** The ciphers Ferry offers, in its order of preference. */
	static final String CIPHERS = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr";

	private final IngestProperties.Sftp settings;

	private final String property;

	/** Connections not in use, the latest returned first. Guarded by {@code this}. */
	private final Deque<Connection> idle = new ArrayDeque<>();

	/** Every open connection. Guarded by {@code this}. */
	private final Set<Connection> connections = new HashSet<>();

	SftpFileSource(IngestProperties.Sftp settings, String property) {
		this.settings = settings;
		this.property = property;
	}

	@Override
	public String describe() {
		return "sftp://" + this.settings.user() + "@" + this.settings.host() + ":" + this.settings.port();
	}

	@Override
	public void check() {
		release(borrow());
	}

	/** An idle connection that is still up, or a new one. */
	private Connection borrow() {
		synchronized (this) {
			while (!this.idle.isEmpty()) {
				Connection connection = this.idle.pop();
				if (connection.up()) {
					return connection;
				}
				connection.disconnect();
				this.connections.remove(connection);
			}
		}
		Connection connection = connect();
		synchronized (this) {
			this.connections.add(connection);
		}
		return connection;
	}

	/** Gives a connection back, or drops it when it is down. */
	private synchronized void release(Connection connection) {
		if (connection.up() && this.connections.contains(connection)) {
			this.idle.push(connection);
		}
		else {
			connection.disconnect();
			this.connections.remove(connection);
		}
	}

	private <T> T with(SftpCall<T> call) throws IOException {
		Connection connection = borrow();
		try {
			return call.on(connection.channel());
		}
		finally {
			release(connection);
		}
	}

	private Connection connect() {
		int timeout = (int) this.settings.connectTimeout().toMillis();
		for (var file : List.of(this.settings.privateKeyFile(), this.settings.knownHostsFile())) {
			if (!Files.isReadable(file)) {
				throw new IllegalStateException("The SFTP source " + describe() + " needs the file " + file
						+ ", which is missing or unreadable (" + this.property
						+ ".private-key-file / .known-hosts-file): mount the secret there or fix the property");
			}
		}
		Session session = null;
		try {
			JSch jsch = new JSch();
			jsch.setKnownHosts(this.settings.knownHostsFile().toString());
			jsch.addIdentity(this.settings.privateKeyFile().toString());
			session = jsch.getSession(this.settings.user(), this.settings.host(), this.settings.port());
			session.setConfig("StrictHostKeyChecking", "yes");
			session.setConfig("PreferredAuthentications", "publickey");
			// AES-GCM first: the native crypto provider (NativeCrypto) has it, and it
			// needs no
			// separate MAC; the CTR modes stay for servers without it
			session.setConfig("cipher.s2c", CIPHERS);
			session.setConfig("cipher.c2s", CIPHERS);
			session.setTimeout(timeout);
			session.connect(timeout);
			ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
			channel.connect(timeout);
			return new Connection(session, channel);
		}
		catch (JSchUnknownHostKeyException ex) {
			disconnect(session);
			throw new IllegalStateException("The SFTP server " + describe()
					+ " presented a host key that the known_hosts file " + this.settings.knownHostsFile() + " ("
					+ this.property + ".known-hosts-file) does not hold, so Ferry refused to connect ("
					+ ex.getMessage() + "). Get the server's host key from its operator over a trusted channel,"
					+ " check its fingerprint, and add it to that file", ex);
		}
		catch (JSchChangedHostKeyException ex) {
			disconnect(session);
			throw new IllegalStateException(
					"The SFTP server " + describe() + " presented a host key OTHER than the one the known_hosts file "
							+ this.settings.knownHostsFile() + " (" + this.property + ".known-hosts-file) holds for it,"
							+ " so Ferry refused to connect: this may be a man-in-the-middle. If the server's key was"
							+ " changed on purpose, confirm the new fingerprint with its operator and replace the line",
					ex);
		}
		catch (JSchException ex) {
			disconnect(session);
			throw new IllegalStateException("Could not connect to the SFTP server " + describe() + ": "
					+ ex.getMessage() + " (check " + this.property + ".host, .port, .user and .private-key-file)", ex);
		}
	}

	@Override
	public List<ListedFile> list(String directory, boolean recursive) throws IOException {
		return with(channel -> {
			List<ListedFile> files = new ArrayList<>();
			list(channel, directory, "", recursive, files);
			return files;
		});
	}

	private void list(ChannelSftp channel, String directory, String prefix, boolean recursive, List<ListedFile> files)
			throws IOException {
		String dir = prefix.isEmpty() ? directory : ListedFile.join(directory, prefix);
		Vector<ChannelSftp.LsEntry> entries;
		try {
			entries = channel.ls(quote(dir));
		}
		catch (SftpException ex) {
			if (!prefix.isEmpty() && ex.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
				// a folder removed since its parent was listed (by another pod's
				// post-action, or the partner tidying up): left out, as a file is
				logger.debug("Directory '{}' on {} was removed while the source was listed; left out",
						IngestLog.escape(dir), describe());
				return;
			}
			throw new IOException("Could not list '" + IngestLog.escape(dir) + "' on " + describe() + ": "
					+ ex.getMessage() + " (does the directory exist, and may " + this.settings.user() + " read it?)",
					ex);
		}
		for (ChannelSftp.LsEntry entry : entries) {
			String name = entry.getFilename();
			if (name.equals(".") || name.equals("..")) {
				continue;
			}
			String relative = prefix + name;
			// a name Ferry refuses is recorded as listed; its path may not even be
			// expressible
			ListedFile file = (FileNames.problem(relative) != null) ? listed(directory, relative, entry.getAttrs())
					: stat(channel, directory, relative).orElse(null);
			if (file == null) {
				continue;
			}
			if (file.kind() == ListedFile.Kind.DIRECTORY && FileNames.problem(relative) == null) {
				if (recursive) {
					list(channel, directory, relative + "/", true, files);
				}
			}
			else {
				files.add(file);
			}
		}
	}

	private static ListedFile listed(String directory, String relative, SftpATTRS attributes) {
		ListedFile.Kind kind = attributes.isLink() ? ListedFile.Kind.SYMLINK : attributes.isDir()
				? ListedFile.Kind.DIRECTORY : attributes.isReg() ? ListedFile.Kind.REGULAR : ListedFile.Kind.OTHER;
		return new ListedFile(directory, relative, attributes.getSize(),
				Instant.ofEpochSecond(Integer.toUnsignedLong(attributes.getMTime())), kind);
	}

	@Override
	public Optional<ListedFile> stat(String directory, String relative) throws IOException {
		return with(channel -> stat(channel, directory, relative));
	}

	private Optional<ListedFile> stat(ChannelSftp channel, String directory, String relative) throws IOException {
		String path = ListedFile.join(directory, relative);
		try {
			return Optional.of(listed(directory, relative, channel.lstat(quote(path))));
		}
		catch (SftpException ex) {
			if (ex.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
				return Optional.empty();
			}
			throw failure("examine", path, ex);
		}
	}

	@Override
	public InputStream open(String path) throws IOException {
		Connection connection = borrow();
		InputStream in;
		try {
			in = connection.channel().get(quote(path));
		}
		catch (SftpException ex) {
			release(connection);
			throw failure("read", path, ex);
		}
		catch (RuntimeException ex) {
			release(connection);
			throw ex;
		}
		// the connection is the stream's until it is closed
		return new FilterInputStream(in) {

			private boolean closed;

			@Override
			public void close() throws IOException {
				if (this.closed) {
					return;
				}
				this.closed = true;
				try {
					super.close();
				}
				finally {
					release(connection);
				}
			}

		};
	}

	@Override
	public void delete(String path) throws IOException {
		with(channel -> {
			try {
				channel.rm(quote(path));
			}
			catch (SftpException ex) {
				if (ex.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
					throw failure("delete", path, ex);
				}
			}
			return null;
		});
	}

	@Override
	public void move(String path, String targetDirectory, String relative) throws IOException {
		String target = ListedFile.join(targetDirectory, relative);
		with(channel -> {
			move(channel, path, target);
			return null;
		});
	}

	private void move(ChannelSftp channel, String path, String target) throws IOException {
		try {
			StringBuilder dir = new StringBuilder();
			String parent = target.substring(0, target.lastIndexOf('/'));
			for (String segment : parent.split("/")) {
				if (segment.isEmpty()) {
					continue;
				}
				dir.append('/').append(segment);
				if (!exists(channel, dir.toString())) {
					channel.mkdir(quote(dir.toString()));
				}
			}
			channel.rename(quote(path), quote(target));
		}
		catch (SftpException ex) {
			throw failure("move to '" + IngestLog.escape(target) + "'", path, ex);
		}
	}

	private static boolean exists(ChannelSftp channel, String path) throws SftpException {
		try {
			channel.lstat(quote(path));
			return true;
		}
		catch (SftpException ex) {
			if (ex.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
				return false;
			}
			throw ex;
		}
	}

	private IOException failure(String action, String path, SftpException ex) {
		return new IOException(
				"Could not " + action + " '" + IngestLog.escape(path) + "' on " + describe() + ": " + ex.getMessage(),
				ex);
	}

	/** A path with JSch's glob characters escaped, so that it names exactly one file. */
	static String quote(String path) {
		StringBuilder quoted = new StringBuilder(path.length());
		for (char c : path.toCharArray()) {
			if (c == '*' || c == '?' || c == '\\') {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		return quoted.toString();
	}

	@Override
	public synchronized void close() {
		this.connections.forEach(Connection::disconnect);
		this.connections.clear();
		this.idle.clear();
	}

	private static void disconnect(@Nullable Session session) {
		if (session != null) {
			session.disconnect();
		}
	}

	/** One SSH session and its SFTP channel. */
	private record Connection(Session session, ChannelSftp channel) {

		boolean up() {
			return this.session.isConnected() && this.channel.isConnected();
		}

		void disconnect() {
			this.channel.disconnect();
			this.session.disconnect();
		}

	}

	@FunctionalInterface
	private interface SftpCall<T> {

		T on(ChannelSftp channel) throws IOException;

	}

}
