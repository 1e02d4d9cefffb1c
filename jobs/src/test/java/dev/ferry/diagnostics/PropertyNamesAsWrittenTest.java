package dev.ferry.diagnostics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator's field paths turned into the property names an operator writes
 * ({@link PropertyValidationFailureAnalyzer#asWritten}).
 */
class PropertyNamesAsWrittenTest {

	@Test
	void namesAreKebabCaseAndMapKeysAreNamesKeptAsWritten() {
		assertThat(PropertyValidationFailureAnalyzer.asWritten("mirrors[dataHub].maxDelete"))
			.isEqualTo("mirrors.dataHub.max-delete");
		assertThat(PropertyValidationFailureAnalyzer.asWritten("mirrors[datahub].target.accessKeyId"))
			.isEqualTo("mirrors.datahub.target.access-key-id");
		assertThat(PropertyValidationFailureAnalyzer.asWritten("target.bucket")).isEqualTo("target.bucket");
	}

	@Test
	void listIndexesKeepTheirBrackets() {
		assertThat(PropertyValidationFailureAnalyzer.asWritten("sources[partner-a].remoteDirs[0]"))
			.isEqualTo("sources.partner-a.remote-dirs[0]");
	}

}
