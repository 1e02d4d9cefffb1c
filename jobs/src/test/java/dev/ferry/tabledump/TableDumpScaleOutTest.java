package dev.ferry.tabledump;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.testkit.FerryProcess;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * table-dump as a Kubernetes Indexed Job: three processes started at once against one
 * repository, each with its index ({@code part}) and the count ({@code parts}), one of
 * them killed with SIGKILL in the middle of a multipart table and run again. Together
 * they dump exactly what one process dumps alone, each table once, and the re-run of the
 * killed index resumes its share instead of starting it over.
 */
@ExtendWith(S3ProxyExtension.class)
class TableDumpScaleOutTest {

	static final Duration TIMEOUT = Duration.ofSeconds(300);

	static final int PARTS = 3;

	/** Rows of the table the killed pod is dumping: several 5 MB parts. */
	static final int BIG_ROWS = 600_000;

	static final String SCALED = "2026-10-01";

	static final String SINGLE = "2026-10-02";

	final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target());

	@Test
	void threeIndexedPodsDumpWhatOneProcessDumpsEachTableOnceAndAKilledPodResumesItsShare() {
		List<String> tables = createTables();
		String list = "tables=" + String.join(",", tables);
		FerryProcess.Builder ferry = FerryProcess.builder().settings(this.fixture.settings());

		List<FerryProcess> pods = new ArrayList<>();
		for (int part = 0; part < PARTS; part++) {
			pods.add(ferry.start("run", "tableDump", "runDate=" + SCALED, list, "part=" + part, "parts=" + PARTS));
		}
		// pod 1 has the tables at positions 1, 4 and 7: public.big among them
		FerryProcess doomed = pods.get(1);
		String big = TableDumpFixture.key(SCALED, "public.big");
		doomed.killWhen(() -> this.fixture.uploadedParts(big) >= 2, TIMEOUT);
		assertThat(doomed.output()).as("killed before its share was done").doesNotContain("Success.");
		for (FerryProcess pod : pods) {
			try (pod) {
				if (pod != doomed) {
					assertThat(pod.waitFor(TIMEOUT)).as(pod.output()).isZero();
				}
			}
		}
		// one process alone, the same tables on another day, between the pods and the
		// re-run of the killed one
		try (FerryProcess single = ferry.start("run", "tableDump", "runDate=" + SINGLE, list)) {
			assertThat(single.waitFor(TIMEOUT)).as(single.output()).isZero();
		}
		try (FerryProcess again = ferry.start("run", "tableDump", "runDate=" + SCALED, list, "part=1",
				"parts=" + PARTS)) {
			assertThat(again.waitFor(TIMEOUT)).as(again.output()).isZero();
			assertThat(again.output()).contains("no process holds its run lock")
				.contains("Table 'public.big': resuming multipart upload")
				.contains("Success.");
		}

		// the union of the shares is what one process dumps alone, and what is in the
		// tables
		for (String table : tables) {
			byte[] scaled = this.fixture.csv(TableDumpFixture.key(SCALED, table));
			assertThat(scaled).as(table).isEqualTo(this.fixture.csv(TableDumpFixture.key(SINGLE, table)));
			assertThat(scaled).as(table).isEqualTo(this.fixture.copyOut("SELECT * FROM " + table + " ORDER BY id"));
		}
		assertThat(this.fixture.openUploads()).as("stray multipart uploads").isEmpty();

		// each index is a job instance with a manifest of its own share
		List<String> manifests = this.fixture.manifests(SCALED);
		assertThat(manifests).hasSize(PARTS);
		List<String> listed = new ArrayList<>();
		for (String manifest : manifests) {
			String json = new String(this.fixture.object(manifest), StandardCharsets.UTF_8);
			tables.stream().filter(table -> json.contains("\"table\" : \"" + table + "\"")).forEach(listed::add);
		}
		assertThat(listed).as("tables listed across the manifests").containsExactlyInAnyOrderElementsOf(tables);

		// nothing done twice: each table completed by one pod once; the big table's rows
		// are the killed pod's checkpoint plus what its re-run wrote
		assertThat(completedTableSteps()).as("tables dumped by the pods")
			.hasSize(tables.size())
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(tables.stream().map(table -> "dumpTable:" + table).toList());
		List<Long> written = this.fixture.writeCounts("public.big", SCALED);
		assertThat(written).hasSize(2);
		assertThat(written.get(0)).as("rows checkpointed before the kill").isBetween(1L, BIG_ROWS - 1L);
		assertThat(written.get(0) + written.get(1)).isEqualTo(BIG_ROWS);
		assertThat(this.fixture.repositoryJdbc.queryForList("""
				SELECT status FROM ferry_job_history
				WHERE parameters LIKE '%%runDate=%s%%' AND parameters LIKE '%%parts=%d%%'
				ORDER BY execution_id""".formatted(SCALED, PARTS), String.class))
			.as("three pods, the killed one marked failed, its re-run")
			.containsExactlyInAnyOrder("COMPLETED", "COMPLETED", "FAILED", "COMPLETED");
	}

	/** Eight tables: seven small ones, and at position 1 one of several parts. */
	private List<String> createTables() {
		List<String> tables = new ArrayList<>();
		for (int i = 1; i <= 7; i++) {
			this.fixture.sourceJdbc.execute("CREATE TABLE public.t%d (id int PRIMARY KEY, v text);".formatted(i)
					+ "INSERT INTO public.t%d SELECT g, md5(g::text) FROM generate_series(1, %d) g".formatted(i,
							i * 1000));
			tables.add("public.t" + i);
		}
		this.fixture.sourceJdbc.execute("""
				CREATE TABLE public.big (id int PRIMARY KEY, a text, b text);
				INSERT INTO public.big SELECT g, md5(g::text) || md5((g + 1)::text), md5((-g)::text)
					FROM generate_series(1, %d) g""".formatted(BIG_ROWS));
		tables.add(1, "public.big");
		return tables;
	}

	private List<String> completedTableSteps() {
		return this.fixture.repositoryJdbc.queryForList("""
				SELECT s.step FROM ferry_step_history s JOIN ferry_job_history j USING (execution_id)
				WHERE s.step LIKE 'dumpTable:%%' AND s.status = 'COMPLETED' AND j.parameters LIKE '%%runDate=%s%%'
				""".formatted(SCALED), String.class);
	}

}
