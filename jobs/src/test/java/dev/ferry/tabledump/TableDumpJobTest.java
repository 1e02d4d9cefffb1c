package dev.ferry.tabledump;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import dev.ferry.FerryApplication;
import dev.ferry.cli.CliContext;
import dev.ferry.cli.FerryCli;
import dev.ferry.run.ExitCode;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * table-dump end to end in one process, against embedded PostgreSQL and S3Proxy.
 */
@ExtendWith(S3ProxyExtension.class)
@SpringBootTest(classes = FerryApplication.class)
class TableDumpJobTest {

	static final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		fixture.register(registry);
	}

	@Autowired
	ConfigurableApplicationContext context;

	@Test
	void smallTablesAreDumpedWithAHeaderAndAManifest() {
		fixture.sourceJdbc.execute("""
				CREATE TABLE public.small (id int PRIMARY KEY, name text);
				INSERT INTO public.small VALUES (1, 'a'), (2, 'b,"c"'), (3, NULL), (4, '');
				""");
		Result result = ferry("run", "tableDump", "runDate=2026-11-01", "tables=public.small");
		assertThat(result.exitCode()).as(result.err()).isZero();
		String csv = new String(fixture.csv(TableDumpFixture.key("2026-11-01", "public.small")),
				StandardCharsets.UTF_8);
		assertThat(csv).isEqualTo("id,name\n1,a\n2,\"b,\"\"c\"\"\"\n3,\n4,\"\"\n");
		assertThat(fixture.keys()).contains("exports/2026-11-01/manifest.json");
	}

	Result ferry(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = FerryCli.execute(CliContext.of(this.context), new PrintWriter(out, true), new PrintWriter(err, true),
				args);
		return new Result(code, out.toString(), err.toString());
	}

	record Result(int exitCode, String out, String err) {
	}

}
