package dev.ferry.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules for source names and the names Ferry derives from them. */
class FileNamesTest {

	@Test
	void namesThatCannotBeFaithfulKeysPathsOrLogLinesAreRefused() {
		assertThat(FileNames.problem("a.csv")).isNull();
		assertThat(FileNames.problem("sub/dir/a b (1).csv")).isNull();
		assertThat(FileNames.problem("Zürich – 東京.csv")).isNull();
		assertThat(FileNames.problem("/etc/passwd")).isEqualTo("the name is absolute");
		assertThat(FileNames.problem("../x")).isEqualTo("the name holds a '..' segment");
		assertThat(FileNames.problem("a//b")).isEqualTo("the name has an empty path segment");
		assertThat(FileNames.problem("a\0b")).isEqualTo("the name holds a NUL character");
		assertThat(FileNames.problem("a\rb")).isEqualTo("the name holds a line break");
		assertThat(FileNames.problem("a\u2028b")).isEqualTo("the name holds a line break");
		assertThat(FileNames.problem("a\u009bb")).isEqualTo("the name holds a control character");
		assertThat(FileNames.problem("a\uFFFDb")).startsWith("the name is not valid UTF-8");
		assertThat(FileNames.problem("é".repeat(128))).isEqualTo("the name is longer than 255 bytes");
		assertThat(FileNames.problem("x.done")).startsWith("the name ends in '.done'").contains("'x'");
		assertThat(FileNames.problem("x.report.json")).startsWith("the name ends in '.report.json'");
	}

	@Test
	void derivedNamesFitTheNameLimitAndDifferForDifferentNames() {
		assertThat(FileNames.withSuffix("a.csv", ".done")).isEqualTo("a.csv.done");
		String long1 = "é".repeat(125) + "1";
		String long2 = "é".repeat(125) + "2";
		String done1 = FileNames.withSuffix(long1, ".done");
		String done2 = FileNames.withSuffix(long2, ".done");
		assertThat(FileNames.utf8Length(done1)).isLessThanOrEqualTo(255);
		assertThat(done1).endsWith(".done").contains("~").isNotEqualTo(done2);
		// cut at a character boundary
		assertThat(done1).doesNotContain("\uFFFD");
		assertThat(FileNames.pathWithSuffix("sub/a.csv", ".done")).isEqualTo("sub/a.csv.done");
	}

	@Test
	void globsMatchNames() {
		assertThat(NameGlob.of("*.csv").matches("a.csv")).isTrue();
		assertThat(NameGlob.of("*.csv").matches("a.csv.tmp")).isFalse();
		assertThat(NameGlob.of("data_??.{csv,xml}").matches("data_01.xml")).isTrue();
		assertThat(NameGlob.of("a+b(1).csv").matches("a+b(1).csv")).isTrue();
		assertThat(NameGlob.valid("{a,b")).isFalse();
	}

}
