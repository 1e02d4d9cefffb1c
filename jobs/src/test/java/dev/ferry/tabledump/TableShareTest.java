package dev.ferry.tabledump;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TableShareTest {

	@Test
	void theSharesOfAllPartsNeitherOverlapNorLeaveATableOut() {
		List<TableName> tables = IntStream.rangeClosed(1, 7).mapToObj(i -> TableName.parse("t" + i)).toList();
		List<TableName> union = new ArrayList<>();
		for (int part = 0; part < 3; part++) {
			union.addAll(new TableShare(part, 3).of(tables));
		}
		assertThat(union).hasSize(7).containsExactlyInAnyOrderElementsOf(tables);
		assertThat(new TableShare(1, 3).of(tables)).extracting(TableName::display).containsExactly("t2", "t5");
		assertThat(TableShare.ALL.of(tables)).isEqualTo(tables);
	}

	@Test
	void partAndPartsComeTogetherAndMakeSense() {
		assertThat(TableShare.of(parameters("part", "2", "parts", "4"))).isEqualTo(new TableShare(2, 4));
		assertThat(TableShare.of(new JobParameters())).isEqualTo(TableShare.ALL);
		assertThatIllegalArgumentException().isThrownBy(() -> TableShare.of(parameters("part", "0")))
			.withMessageContaining("give both part and parts");
		assertThatIllegalArgumentException().isThrownBy(() -> TableShare.of(parameters("part", "3", "parts", "3")))
			.withMessageContaining("part must be 0 to parts - 1");
		assertThatIllegalArgumentException().isThrownBy(() -> TableShare.of(parameters("part", "x", "parts", "3")))
			.withMessageContaining("part must be a whole number");
	}

	private static JobParameters parameters(String... namesAndValues) {
		JobParametersBuilder builder = new JobParametersBuilder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			builder.addString(namesAndValues[i], namesAndValues[i + 1]);
		}
		return builder.toJobParameters();
	}

}
