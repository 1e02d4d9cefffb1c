package dev.ferry.cli;

import java.time.Duration;

import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code FERRY_CRYPTO} on Ferry's command line: native by default, the JDK's providers on
 * request, and a wrong value refused before anything runs; {@code ferry --version} says
 * which serves the process.
 */
class CryptoChoiceTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void nativeByDefaultTheJdkOnRequestAndAWrongValueIsAConfigurationError() {
		try (FerryProcess ferry = FerryProcess.builder().start("--version")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
			assertThat(ferry.output()).contains("Crypto: AmazonCorrettoCryptoProvider 2.").contains("(AWS-LC, native)");
		}
		try (FerryProcess ferry = FerryProcess.builder().env("FERRY_CRYPTO", "jdk").start("--version")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
			assertThat(ferry.output()).contains("Crypto: JDK providers (FERRY_CRYPTO=jdk)");
		}
		try (FerryProcess ferry = FerryProcess.builder().env("FERRY_CRYPTO", "openssl").start("--version")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(6);
			assertThat(ferry.output()).contains(
					"ferry: FERRY_CRYPTO=openssl is not a crypto provider choice: use native (the default) or jdk");
		}
		// also a command that never loads a provider: checked before anything runs
		try (FerryProcess ferry = FerryProcess.builder().env("FERRY_CRYPTO", "openssl").start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(6);
			assertThat(ferry.output()).contains("ferry: FERRY_CRYPTO=openssl is not a crypto provider choice");
		}
	}

}
