package dev.ferry.common.batch;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RunDateTest {

	// 23:30 UTC on the 22nd is already the 23rd in Auckland
	final Clock clock = Clock.fixed(Instant.parse("2026-11-22T23:30:00Z"), ZoneId.of("Pacific/Auckland"));

	final RunDate runDate = new RunDate("someJob", this.clock);

	@Test
	void leftOutItIsTodayInTheZoneAndIdentifying() {
		JobParameters completed = this.runDate
			.complete(new JobParametersBuilder().addString("tables", "public.users").toJobParameters());
		assertThat(completed.getLocalDate(RunDate.NAME)).isEqualTo(LocalDate.of(2026, 11, 23));
		assertThat(completed.getParameter(RunDate.NAME).identifying()).isTrue();
		assertThat(completed.getString("tables")).isEqualTo("public.users");
	}

	@Test
	void givenAsTextOrInTheLongFormItIsTheSameIdentifyingLocalDate() {
		JobParameters text = this.runDate
			.complete(new JobParametersBuilder().addString(RunDate.NAME, "2026-11-01").toJobParameters());
		JobParameters longForm = this.runDate
			.complete(new JobParametersBuilder().addLocalDate(RunDate.NAME, LocalDate.of(2026, 11, 1), false)
				.toJobParameters());
		assertThat(text).isEqualTo(longForm);
		assertThat(text.getParameter(RunDate.NAME).type()).isEqualTo(LocalDate.class);
		assertThat(text.getParameter(RunDate.NAME).identifying()).isTrue();
		assertThat(text.getLocalDate(RunDate.NAME)).isEqualTo(LocalDate.of(2026, 11, 1));
	}

	@Test
	void notAnIsoDateIsRefusedWithTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.runDate
				.complete(new JobParametersBuilder().addString(RunDate.NAME, "23/11/2026").toJobParameters()))
			.withMessage("Job parameter runDate='23/11/2026' is not an ISO date such as 2026-11-23");
	}

	@Test
	void itBelongsToItsJob() {
		assertThat(new RunDate("tableDump", ZoneId.of("UTC")).jobName()).isEqualTo("tableDump");
	}

}
