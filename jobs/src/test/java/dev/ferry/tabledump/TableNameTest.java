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

	@Test
	void objectNamesAreInjectiveAndSafeForQuotedNamesWithDotsSlashesQuotesAndControlCharacters() {
		assertThat(TableName.parse("s.t").objectName()).isEqualTo("s.t");
		assertThat(TableName.parse("\"s.t\"").objectName()).isEqualTo("s%2Et");
		assertThat(TableName.parse("public.\"s.t\"").objectName()).isEqualTo("public.s%2Et");
		assertThat(TableName.parse("\"s%2Et\"").objectName()).isEqualTo("s%252Et");
		assertThat(TableName.parse("\"a/b\"").objectName()).isEqualTo("a%2Fb");
		assertThat(TableName.parse("\"../x\"").objectName()).isEqualTo("%2E%2E%2Fx");
		assertThat(TableName.parse("\"tab\there\"").objectName()).isEqualTo("tab%09here");
		assertThat(TableName.parse("\"say \"\"hi\"\"\"").objectName()).isEqualTo("say %22hi%22");
		assertThat(TableName.parse("\"Sales\".\"Order Lines\"").objectName()).isEqualTo("Sales.Order Lines");
		assertThat(TableName.parseList("s.t,\"s.t\"")).extracting(TableName::objectName)
			.containsExactly("s.t", "s%2Et");
	}

	@ParameterizedTest
	@ValueSource(strings = { "users; drop table x", "a b", "1abc", "a.b.c", "a.", ".a", "\"open", "\"\"", "a-b",
			"\"nul\u0000here\"", "a'b" })
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
