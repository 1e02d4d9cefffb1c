package dev.ferry.common.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.ferry.testkit.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JobShareTest {

	/** Keys as a mirror or an ingest source meets them: nested, non-ASCII, odd. */
	static final List<String> NAMES = IntStream.range(0, 500).mapToObj(i -> switch (i % 5) {
		case 0 -> "a/b/%04d.csv".formatted(i);
		case 1 -> "Überweisung-%d.pdf".formatted(i);
		case 2 -> "日本/%d 'quoted' \"x\".bin".formatted(i);
		case 3 -> "emoji-😀-%d".formatted(i);
		default -> "%d".formatted(i);
	}).toList();

	@Test
	void theSharesOfAListNeitherOverlapNorLeaveAnythingOut() {
		List<String> items = List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7");
		List<String> union = new ArrayList<>();
		for (int part = 0; part < 3; part++) {
			union.addAll(new JobShare(part, 3).of(items));
		}
		assertThat(union).containsExactlyInAnyOrderElementsOf(items);
		assertThat(new JobShare(1, 3).of(items)).containsExactly("t2", "t5");
		assertThat(JobShare.ALL.of(items)).isEqualTo(items);
	}

	@Test
	void everyNameIsInExactlyOneShareAndTheSharesAreEven() {
		for (int parts = 1; parts <= 4; parts++) {
			Map<Integer, Integer> sizes = new HashMap<>();
			for (String name : NAMES) {
				List<Integer> owners = new ArrayList<>();
				for (int part = 0; part < parts; part++) {
					if (new JobShare(part, parts).includes(name)) {
						owners.add(part);
					}
				}
				assertThat(owners).as(name + " of " + parts).hasSize(1);
				sizes.merge(owners.get(0), 1, Integer::sum);
			}
			// a hash, not a skew: each share within a third of the mean
			int mean = NAMES.size() / parts;
			assertThat(sizes.values()).as("share sizes of " + parts)
				.allSatisfy(size -> assertThat(size).isBetween(mean - mean / 3, mean + mean / 3));
		}
		assertThat(NAMES).allMatch(JobShare.ALL::includes);
	}

	@Test
	void theHashIsStableAcrossVersions() {
		// first four bytes of MD5("a/b/0000.csv") and MD5(""), fixed: changing the hash
		// would move keys between the shares of a run that is resumed
		assertThat(JobShare.hash("")).isEqualTo(0xd41d8cd9L);
		assertThat(JobShare.hash("abc")).isEqualTo(0x90015098L);
	}

	@Test
	void postgresqlPutsEveryNameInTheSameShareAsJava() {
		JdbcTemplate jdbc = new JdbcTemplate(EmbeddedPostgresServer.shared().newDatabase().dataSource());
		jdbc.execute("CREATE TABLE names (name text NOT NULL)");
		jdbc.batchUpdate("INSERT INTO names VALUES (?)", NAMES.stream().map(name -> new Object[] { name }).toList());
		for (int parts = 1; parts <= 3; parts++) {
			for (int part = 0; part < parts; part++) {
				JobShare share = new JobShare(part, parts);
				List<String> inSql = jdbc.queryForList("SELECT name FROM names WHERE " + share.sqlCondition("name"),
						String.class);
				assertThat(inSql).as(share.toString())
					.containsExactlyInAnyOrderElementsOf(NAMES.stream().filter(share::includes).toList());
			}
		}
	}

	@Test
	void partAndPartsComeTogetherAndMakeSense() {
		assertThat(JobShare.of(parameters("part", "2", "parts", "4"))).isEqualTo(new JobShare(2, 4));
		assertThat(JobShare.of(new JobParameters())).isEqualTo(JobShare.ALL);
		assertThatIllegalArgumentException().isThrownBy(() -> JobShare.of(parameters("part", "0")))
			.withMessageContaining("give both part and parts");
		assertThatIllegalArgumentException().isThrownBy(() -> JobShare.of(parameters("part", "3", "parts", "3")))
			.withMessageContaining("part must be 0 to parts - 1");
		assertThatIllegalArgumentException().isThrownBy(() -> JobShare.of(parameters("part", "x", "parts", "3")))
			.withMessageContaining("part must be a whole number");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> JobShare.validate(parameters("part", "-1", "parts", "3")))
			.withMessageContaining("not part=-1 parts=3");
	}

	private static JobParameters parameters(String... namesAndValues) {
		JobParametersBuilder builder = new JobParametersBuilder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			builder.addString(namesAndValues[i], namesAndValues[i + 1]);
		}
		return builder.toJobParameters();
	}

}
