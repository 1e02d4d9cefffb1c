package dev.ferry.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Archives for the ingest tests, built in memory: honest ones, and the traps a hostile
 * sender makes by editing the bytes (headers that lie about sizes, the encryption flag,
 * repeated names).
 */
final class Archives {

	private Archives() {
	}

	/** A zip of entries in the order given (a name ending in '/' is a directory). */
	static byte[] zip(Map<String, byte[]> entries) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(entry.getKey()));
				zip.write(entry.getValue());
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** A zip of one entry. */
	static byte[] zip(String name, byte[] content) {
		return zip(Map.of(name, content));
	}

	/** A zip of two entries, in order. */
	static byte[] zip(String name, byte[] content, String other, byte[] otherContent) {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put(name, content);
		entries.put(other, otherContent);
		return zip(entries);
	}

	/** A zip of a number of empty entries. */
	static byte[] manyEntries(int count) {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			entries.put("e" + i, new byte[0]);
		}
		return zip(entries);
	}

	/** A zip of one entry of zeros, which deflate shrinks about a thousandfold. */
	static byte[] zeros(String name, int size) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			zip.putNextEntry(new ZipEntry(name));
			writeZeros(zip, size);
			zip.closeEntry();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static byte[] gzip(byte[] content) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			gzip.write(content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static byte[] gzipZeros(int size) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			writeZeros(gzip, size);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * The zip with every entry's sizes, in its local and central headers, set to a lie
	 * (the data descriptors are left as they are).
	 */
	static byte[] lyingSizes(byte[] zip, int size) {
		byte[] edited = zip.clone();
		ByteBuffer buffer = ByteBuffer.wrap(edited).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i + 4 <= edited.length; i++) {
			int signature = buffer.getInt(i);
			if (signature == 0x04034b50) {
				buffer.putInt(i + 22, size);
			}
			else if (signature == 0x02014b50) {
				buffer.putInt(i + 24, size);
			}
		}
		return edited;
	}

	/** The zip with the encryption flag set on every entry. */
	static byte[] encrypted(byte[] zip) {
		byte[] edited = zip.clone();
		ByteBuffer buffer = ByteBuffer.wrap(edited).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i + 4 <= edited.length; i++) {
			int signature = buffer.getInt(i);
			if (signature == 0x04034b50) {
				edited[i + 6] |= 1;
			}
			else if (signature == 0x02014b50) {
				edited[i + 8] |= 1;
			}
		}
		return edited;
	}

	/** The zip with every occurrence of one name (of the same length) replaced. */
	static byte[] renamed(byte[] zip, String from, String to) {
		byte[] edited = zip.clone();
		byte[] a = from.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] b = to.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		for (int i = 0; i + a.length <= edited.length; i++) {
			if (Arrays.equals(edited, i, i + a.length, a, 0, a.length)) {
				System.arraycopy(b, 0, edited, i, b.length);
			}
		}
		return edited;
	}

	private static void writeZeros(OutputStream out, int size) throws IOException {
		byte[] chunk = new byte[64 * 1024];
		for (int left = size; left > 0; left -= chunk.length) {
			out.write(chunk, 0, Math.min(left, chunk.length));
		}
	}

}
