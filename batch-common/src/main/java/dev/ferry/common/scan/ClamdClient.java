package dev.ferry.common.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.util.Assert;

/**
 * Speaks clamd's TCP protocol: {@code zPING}, {@code zVERSION} and {@code zINSTREAM} (the
 * data in chunks, each prefixed with its length as a 4-byte big-endian integer, then a
 * zero-length chunk). clamd may answer before the stream ends (past its
 * {@code StreamMaxLength} it answers {@code INSTREAM size limit exceeded} and closes the
 * connection), so the answer is read on a virtual thread while the data goes out.
 * <p>
 * Thread-safe: every call opens its own connection.
 */
public final class ClamdClient {

	private static final int CHUNK = 64 * 1024;

	private final InetSocketAddress address;

	private final Duration connectTimeout;

	private final Duration readTimeout;

	/**
	 * @param host clamd's host
	 * @param port clamd's TCP port ({@code TCPSocket})
	 * @param connectTimeout how long to wait for the connection
	 * @param readTimeout how long to wait for an answer once the data is sent
	 */
	public ClamdClient(String host, int port, Duration connectTimeout, Duration readTimeout) {
		Assert.hasText(host, "'host' must not be empty");
		this.address = InetSocketAddress.createUnresolved(host, port);
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
	}

	/** {@code host:port}, for messages. */
	public String describe() {
		return "clamd at " + this.address.getHostString() + ":" + this.address.getPort();
	}

	/**
	 * @return clamd's answer to {@code PING}, {@code PONG} when it is alive
	 * @throws ScannerUnavailableException when clamd cannot be reached
	 */
	public String ping() {
		return command("PING");
	}

	/**
	 * @return clamd's version, e.g. {@code ClamAV 1.4.3/27491/Mon Dec 1 09:33:12 2026}
	 * @throws ScannerUnavailableException when clamd cannot be reached
	 */
	public String version() {
		return command("VERSION");
	}

	private String command(String command) {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			out.write(("z" + command + "\0").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return readAnswer(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new ScannerUnavailableException(
					describe() + " did not answer " + command + ": " + ex.getMessage() + " (is it running?)", ex);
		}
	}

	/**
	 * Streams data to clamd and reads its verdict.
	 * @param data the data, read to its end (not closed)
	 * @return the verdict; a size limit or an error is
	 * {@link ScanResult.Verdict#UNSCANNABLE}
	 * @throws ScannerUnavailableException when clamd cannot be reached or gives no answer
	 * in time
	 */
	public ScanResult scan(InputStream data) {
		return ScanResult.parse(instream(data));
	}

	private String instream(InputStream data) {
		try (Socket socket = connect()) {
			InputStream in = socket.getInputStream();
			CompletableFuture<String> answer = new CompletableFuture<>();
			Thread.ofVirtual().name("clamd-answer").start(() -> {
				try {
					answer.complete(readAnswer(in));
				}
				catch (IOException | RuntimeException ex) {
					answer.completeExceptionally(ex);
				}
			});
			try {
				send(socket.getOutputStream(), data, answer);
			}
			catch (IOException ex) {
				// clamd closed the connection early: its answer says why (the size limit)
				try {
					return await(answer, Duration.ofSeconds(5));
				}
				catch (IOException noAnswer) {
					ex.addSuppressed(noAnswer);
					throw ex;
				}
			}
			return await(answer, this.readTimeout);
		}
		catch (IOException ex) {
			throw new ScannerUnavailableException(
					describe() + " failed during INSTREAM: " + ex.getMessage() + " (the file waits for the next run)",
					ex);
		}
	}

	private static void send(OutputStream out, InputStream data, CompletableFuture<String> answer) throws IOException {
		out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
		byte[] buffer = new byte[CHUNK];
		int read;
		while (!answer.isDone() && (read = data.readNBytes(buffer, 0, CHUNK)) > 0) {
			out.write(ByteBuffer.allocate(4).putInt(read).array());
			out.write(buffer, 0, read);
		}
		if (!answer.isDone()) {
			out.write(new byte[4]);
			out.flush();
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(this.address.getHostString(), this.address.getPort()),
					(int) this.connectTimeout.toMillis());
			socket.setSoTimeout((int) this.readTimeout.toMillis());
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static String await(CompletableFuture<String> answer, Duration timeout) throws IOException {
		try {
			return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException("reading clamd's answer failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IOException("no answer within " + timeout.toSeconds() + " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for clamd's answer", ex);
		}
	}

	/** Reads up to the NUL that ends a {@code z} command's answer (or to EOF). */
	private static String readAnswer(InputStream in) throws IOException {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != 0) {
			if (answer.size() > 4096) {
				throw new IOException("clamd's answer is longer than 4 KiB");
			}
			answer.write(b);
		}
		String text = answer.toString(StandardCharsets.UTF_8).strip();
		if (b == -1 && text.isEmpty()) {
			throw new IOException("clamd closed the connection without an answer");
		}
		return text;
	}

}
