package dev.ferry.tabledump;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvRecordTest {

	@Test
	void splitsPostgresCsvWithQuotedCommasQuotesAndNewlines() {
		byte[] record = "1,\"a,b\",\"say \"\"hi\"\"\",,\"\",\"line\nbreak\",żółć\n".getBytes(StandardCharsets.UTF_8);
		assertThat(CsvRecord.fields(record)).containsExactly("1", "a,b", "say \"hi\"", "", "", "line\nbreak", "żółć");
	}

	@Test
	void aKeyLiteralDoublesQuotesOnly() {
		assertThat(KeysetQuery.literal("O'Brien \\ \"x\"")).isEqualTo("'O''Brien \\ \"x\"'");
	}

}
