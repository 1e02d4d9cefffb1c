package dev.ferry.tabledump;

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
 * repository, each with its index ({@code part}) and the count ({@code parts}), dump
 * together exactly what one process dumps alone, each table once.
 */
@ExtendWith(S3ProxyExtension.class)
class TableDumpScaleOutTest {

	static final Duration TIMEOUT = Duration.ofSeconds(300);

	final TableDumpFixture fixture = new TableDumpFixture(S3ProxyExtension.target());

	@Test
	void threeIndexedPodsDumpEveryTableExactlyOnce() {
		List<String> tables = new ArrayList<>();
		for (int i = 1; i <= 7; i++) {
			this.fixture.sourceJdbc.execute("CREATE TABLE public.t%d (id int PRIMARY KEY, v text);".formatted(i)
					+ "INSERT INTO public.t%d SELECT g, md5(g::text) FROM generate_series(1, %d) g".formatted(i,
							i * 1000));
			tables.add("public.t" + i);
		}
		String list = "tables=" + String.join(",", tables);
		List<FerryProcess> pods = new ArrayList<>();
		for (int part = 0; part < 3; part++) {
			pods.add(FerryProcess.builder()
				.settings(this.fixture.settings())
				.start("run", "tableDump", "runDate=2026-10-01", list, "part=" + part, "parts=3"));
		}
		for (FerryProcess pod : pods) {
			try (pod) {
				assertThat(pod.waitFor(TIMEOUT)).as(pod.output()).isZero();
			}
		}

		for (String table : tables) {
			assertThat(this.fixture.csv(TableDumpFixture.key("2026-10-01", table)))
				.isEqualTo(this.fixture.copyOut("SELECT * FROM " + table + " ORDER BY id"));
		}
		// each pod is a job instance with a manifest of its own share
		List<String> manifests = this.fixture.manifests("2026-10-01");
		assertThat(manifests).hasSize(3);
		List<String> listed = new ArrayList<>();
		for (String manifest : manifests) {
			String json = new String(this.fixture.object(manifest), java.nio.charset.StandardCharsets.UTF_8);
			tables.stream().filter(table -> json.contains("\"table\" : \"" + table + "\"")).forEach(listed::add);
		}
		assertThat(listed).as("tables listed across the manifests").containsExactlyInAnyOrderElementsOf(tables);
		assertThat(this.fixture.repositoryJdbc.queryForList(
				"SELECT step FROM ferry_step_history WHERE step LIKE 'dumpTable:%' AND status = 'COMPLETED'",
				String.class))
			.as("each table dumped once")
			.hasSize(7)
			.doesNotHaveDuplicates();
		assertThat(this.fixture.repositoryJdbc.queryForObject(
				"SELECT count(*) FROM ferry_job_history WHERE status = 'COMPLETED' AND parameters LIKE '%parts=3%'",
				Integer.class))
			.isEqualTo(3);
	}

}
