package dev.ferry.common.transfer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** MessageDigest instances for algorithms every JDK has. */
public final class Digests {

	private Digests() {
	}

	public static MessageDigest sha256() {
		return of("SHA-256");
	}

	public static MessageDigest md5() {
		return of("MD5");
	}

	private static MessageDigest of(String algorithm) {
		try {
			return MessageDigest.getInstance(algorithm);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK lacks " + algorithm, ex);
		}
	}

}
