package dev.ferry.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zip entry names {@link ZipScan} refuses: every way a name can leave the directory
 * an unzip writes into, in either separator, and names that cannot be shown faithfully.
 */
class ZipEntryNamesTest {

	@Test
	void namesThatEscapeTheirDirectoryAreRefused() {
		assertThat(ZipScan.nameProblem("../x")).isEqualTo("the name climbs out of its directory ('..')");
		assertThat(ZipScan.nameProblem("a/../../x")).isEqualTo("the name climbs out of its directory ('..')");
		assertThat(ZipScan.nameProblem("a\\..\\x")).isEqualTo("the name climbs out of its directory ('..')");
		assertThat(ZipScan.nameProblem("a/..")).isEqualTo("the name climbs out of its directory ('..')");
		assertThat(ZipScan.nameProblem("/etc/passwd")).isEqualTo("the name is absolute");
		assertThat(ZipScan.nameProblem("\\\\server\\share\\x")).isEqualTo("the name is absolute");
		assertThat(ZipScan.nameProblem("C:\\Windows\\x.dll")).isEqualTo("the name is absolute");
		assertThat(ZipScan.nameProblem("c:x")).isEqualTo("the name is absolute");
		assertThat(ZipScan.nameProblem("")).isEqualTo("the name is empty");
	}

	@Test
	void namesThatCannotBeShownFaithfullyAreRefused() {
		assertThat(ZipScan.nameProblem("a\nb")).isEqualTo("the name holds a control character");
		assertThat(ZipScan.nameProblem("a\0b")).isEqualTo("the name holds a control character");
		assertThat(ZipScan.nameProblem("bad\uFFFD.txt")).isEqualTo("the name is not valid UTF-8");
	}

	@Test
	void ordinaryNamesPass() {
		assertThat(ZipScan.nameProblem("a.txt")).isNull();
		assertThat(ZipScan.nameProblem("docs/sub/")).isNull();
		assertThat(ZipScan.nameProblem("docs/..hidden/x..y")).isNull();
		assertThat(ZipScan.nameProblem("données/été.csv")).isNull();
	}

}
