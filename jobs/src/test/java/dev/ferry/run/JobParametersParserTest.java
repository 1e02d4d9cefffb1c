package dev.ferry.run;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import dev.ferry.common.batch.RunDate;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JobParametersParserTest {

	final JobParametersParser parser = new JobParametersParser(List.of(new RunDate("tableDump", ZoneId.of("UTC"))));

	@Test
	void aCommaSeparatedListStaysOneIdentifyingString() {
		JobParameters parameters = this.parser
			.parse(List.of("tables=public.customers,public.orders,public.audit_log", "runDate=2026-11-23"));
		assertThat(parameters.getString("tables")).isEqualTo("public.customers,public.orders,public.audit_log");
		assertThat(parameters.getParameter("tables").identifying()).isTrue();
		assertThat(parameters.getLocalDate("runDate")).isEqualTo(LocalDate.of(2026, 11, 23));
	}

	@Test
	void springBatchsLongFormStillWorks() {
		JobParameters parameters = this.parser.parse(List.of("chunk=500,java.lang.Long,false"));
		assertThat(parameters.getLong("chunk")).isEqualTo(500L);
		assertThat(parameters.getParameter("chunk").identifying()).isFalse();
	}

	@Test
	void runDateDefaultsToTodayInTheZone() {
		assertThat(this.parser.parse(List.of()).getLocalDate("runDate")).isEqualTo(LocalDate.now(ZoneId.of("UTC")));
	}

	@Test
	void withoutTheDefaultsOfAJobNoParameterIsAddedOrTyped() {
		JobParametersParser plain = new JobParametersParser(List.of());
		assertThat(plain.parse(List.of()).isEmpty()).isTrue();
		assertThat(plain.parse(List.of("runDate=2026-11-23")).getString("runDate")).isEqualTo("2026-11-23");
	}

	@Test
	void secretLookingNamesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.parser.parse(List.of("apiToken=x")))
			.withMessageContaining("looks like a secret");
	}

}
