package dev.ferry.tabledump;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TableNameTest {

	@Test
	void plainNamesFoldToLowerCaseAndAreQuotedForSql() {
		TableName name = TableName.parse("Public.Customers");
		assertThat(name.schema()).isEqualTo("public");
		assertThat(name.name()).isEqualTo("customers");
		assertThat(name.sql()).isEqualTo("\"public\".\"customers\"");
		assertThat(name.objectName()).isEqualTo("public.customers");
		assertThat(TableName.parse("orders").sql()).isEqualTo("\"orders\"");
	}

	@Test
	void quotedNamesKeepCaseDotsSpacesAndQuotes() {
		TableName name = TableName.parse("\"Sales.EU\".\"Order \"\"Lines\"\"\"");
		assertThat(name.schema()).isEqualTo("Sales.EU");
		assertThat(name.name()).isEqualTo("Order \"Lines\"");
		assertThat(name.sql()).isEqualTo("\"Sales.EU\".\"Order \"\"Lines\"\"\"");
	}

	@Test
	void aListSplitsOnCommasOutsideQuotes() {
		List<TableName> tables = TableName.parseList("a, b.c ,\"x,y\"");
		assertThat(tables).extracting(TableName::objectName).containsExactly("a", "b.c", "x,y");
	}

	@ParameterizedTest
	@ValueSource(strings = { "users; drop table x", "a b", "1abc", "a.b.c", "a.", ".a", "\"open", "\"\"", "a-b",
			"\"a/b\"", "\"tab\there\"", "a'b" })
	void anythingElseIsRefusedBeforeAnySqlIsWritten(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> TableName.parse(text))
			.withMessageContaining("is not a table name");
	}

	@Test
	void aTableListedTwiceOrNoTableIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> TableName.parseList("a,public.b,A"))
			.withMessageContaining("listed twice");
		assertThatIllegalArgumentException().isThrownBy(() -> TableName.parseList(" , "))
			.withMessageContaining("no table given");
	}

}
