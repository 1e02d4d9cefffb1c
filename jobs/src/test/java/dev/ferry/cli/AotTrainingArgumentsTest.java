package dev.ferry.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command lines of an AOT training run ({@link FerryCli#AOT_TRAINING}): split at each
 * {@code ;} argument, nothing else changed.
 */
class AotTrainingArgumentsTest {

	@Test
	void theArgumentsSplitAtEachSemicolonArgument() {
		assertThat(FerryCli.commandLines(
				List.of("run", "tableDump", "tables=a;b", ";", "run", "s3Mirror", "mirror=datahub", ";", ";")))
			.containsExactly(List.of("run", "tableDump", "tables=a;b"), List.of("run", "s3Mirror", "mirror=datahub"));
	}

	@Test
	void noArgumentsAreNoCommandLines() {
		assertThat(FerryCli.commandLines(List.of())).isEmpty();
	}

}
