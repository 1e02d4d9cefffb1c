package dev.ferry.tabledump;

import java.time.Duration;
import java.util.List;

import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Ferry process killed with SIGKILL in the middle of its tables: the next run with the
 * same parameters resumes, the output is byte for byte an uninterrupted dump, and no
 * multipart upload is left behind.
 */
@ExtendWith(S3ProxyExtension.class)
class TableDumpCrashTest {

	static final Duration TIMEOUT = Duration.ofSeconds(180);

	static final int KEYED_ROWS = 600_000;

	final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target());

	FerryProcess.Builder ferry() {
		return FerryProcess.builder().settings(this.fixture.settings());
	}

	@Test
	void aKilledDumpResumesIntoTheBytesOfAnUninterruptedOne() {
		this.fixture.sourceJdbc.execute("""
				CREATE TABLE public.keyed (id int PRIMARY KEY, a text, b text);
				INSERT INTO public.keyed SELECT g, md5(g::text) || md5((g + 1)::text), md5((-g)::text)
					FROM generate_series(1, %d) g;
				CREATE TABLE public.heap (a text, b int);
				INSERT INTO public.heap SELECT md5(g::text) || md5((g * 5)::text), g FROM generate_series(1, 1000000) g;
				CREATE TABLE public.tiny (id int PRIMARY KEY);
				INSERT INTO public.tiny VALUES (1), (2);
				""".formatted(KEYED_ROWS));
		String[] run = { "run", "tableDump", "runDate=2026-09-30", "tables=public.keyed,public.heap,public.tiny" };
		try (FerryProcess doomed = ferry().start(run)) {
			String keyed = TableDumpFixture.key("2026-09-30", "public.keyed");
			String heap = TableDumpFixture.key("2026-09-30", "public.heap");
			// mid-way through both: the keyed table (5 parts) and the bigger one without
			// a key
			doomed.killWhen(() -> this.fixture.uploadedParts(keyed) >= 2 && this.fixture.uploadedParts(heap) >= 1,
					TIMEOUT);
		}
		assertThat(this.fixture.openUploads()).as("uploads the killed run left open").isNotEmpty();

		try (FerryProcess resumed = ferry().start(run)) {
			assertThat(resumed.waitFor(TIMEOUT)).as(resumed.output()).isZero();
			assertThat(resumed.output()).contains("no process holds its run lock")
				.contains("Table 'public.heap' has no primary key")
				.contains("Table 'public.keyed': resuming multipart upload")
				.contains("Success.");
		}
		assertThat(this.fixture.csv(TableDumpFixture.key("2026-09-30", "public.keyed")))
			.isEqualTo(this.fixture.copyOut("SELECT * FROM public.keyed ORDER BY id"));
		assertThat(this.fixture.csv(TableDumpFixture.key("2026-09-30", "public.heap")))
			.isEqualTo(this.fixture.copyOut("SELECT * FROM public.heap"));
		assertThat(this.fixture.csv(TableDumpFixture.key("2026-09-30", "public.tiny")))
			.isEqualTo(this.fixture.copyOut("SELECT * FROM public.tiny ORDER BY id"));
		assertThat(this.fixture.openUploads()).as("stray multipart uploads").isEmpty();

		// the killed run's checkpoint and the resumed run's rows add up to the table: no
		// acknowledged part was sent again
		List<Long> written = this.fixture.writeCounts("public.keyed", "2026-09-30");
		assertThat(written).hasSize(2);
		assertThat(written.get(0)).as("rows checkpointed before the kill").isBetween(1L, KEYED_ROWS - 1L);
		assertThat(written.get(0) + written.get(1)).isEqualTo(KEYED_ROWS);
	}

}
