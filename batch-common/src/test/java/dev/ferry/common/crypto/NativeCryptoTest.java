package dev.ferry.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NativeCrypto#await()} in this JVM (as Ferry's {@code main} does; the tests of
 * this JVM that run after it hash natively too): the native provider serves SHA-256, MD5,
 * HMAC and AES-GCM with the standard's answers, and AES-CTR (which it lacks) still comes
 * from the JDK. The {@code jdk} choice and a wrong value are tested on Ferry's command
 * line (jobs' CryptoChoiceTest).
 */
class NativeCryptoTest {

	private static final String ACCP = "AmazonCorrettoCryptoProvider";

	@Test
	void theNativeProviderServesDigestsMacsAndGcmWithTheStandardAnswers() throws Exception {
		NativeCrypto.Status status = NativeCrypto.await();
		assertThat(status.active()).as(status.description()).isTrue();
		assertThat(status.fellBack()).isFalse();
		assertThat(status.description()).startsWith(ACCP + " ");
		assertThat(NativeCrypto.await()).isSameAs(status);

		byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		assertThat(sha256.getProvider().getName()).isEqualTo(ACCP);
		// FIPS 180-2, appendix B.1
		assertThat(HexFormat.of().formatHex(sha256.digest(abc)))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		MessageDigest md5 = MessageDigest.getInstance("MD5");
		assertThat(md5.getProvider().getName()).isEqualTo(ACCP);
		// RFC 1321, appendix A.5
		assertThat(HexFormat.of().formatHex(md5.digest(abc))).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
		assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo(ACCP);
		assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(ACCP);
		assertThat(Cipher.getInstance("AES/CTR/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
	}

}
