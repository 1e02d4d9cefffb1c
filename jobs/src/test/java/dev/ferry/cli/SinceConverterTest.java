package dev.ferry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import dev.ferry.run.ExitCode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SinceConverterTest {

	static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 23, 16, 30);

	final SinceConverter since = new SinceConverter(
			Clock.fixed(Instant.parse("2026-11-23T16:30:00Z"), ZoneId.of("UTC")));

	@Test
	void aTimeAgoIsSpringBootsSimpleDurationStyle() {
		assertThat(this.since.convert("90s")).isEqualTo(NOW.minusSeconds(90));
		assertThat(this.since.convert("30m")).isEqualTo(NOW.minusMinutes(30));
		assertThat(this.since.convert("12h")).isEqualTo(NOW.minusHours(12));
		assertThat(this.since.convert("2d")).isEqualTo(NOW.minusDays(2));
	}

	@Test
	void aDateMeansItsStartAndADateTimeItself() {
		assertThat(this.since.convert("2026-11-01")).isEqualTo(LocalDateTime.of(2026, 11, 1, 0, 0));
		assertThat(this.since.convert("2026-11-01T06:00")).isEqualTo(LocalDateTime.of(2026, 11, 1, 6, 0));
	}

	@Test
	void anythingElseSaysWhatItTakes() {
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.since.convert("yesterday"))
			.withMessage("'yesterday' is not a date (2026-11-01), a date-time (2026-11-01T06:00) or a time ago"
					+ " (90s, 30m, 12h, 7d)");
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.since.convert("2w"))
			.withMessageStartingWith("'2w' is not a date");
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.since.convert("2026-13-01"))
			.withMessageStartingWith("'2026-13-01' is not a date");
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.since.convert("7"))
			.withMessage("'7' needs a unit: s, m, h or d (7d, not 7)");
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.since.convert("-2d"))
			.withMessage("'-2d' is in the future: give a time ago such as 7d");
	}

	@Test
	void historyReadsItsSinceOptionWithIt() {
		try (CliContext context = CliContext.lazy()) {
			HistoryCommand history = new HistoryCommand(context);
			LocalDateTime before = LocalDateTime.now().minusHours(12);
			new CommandLine(history).parseArgs("--since", "12h");
			assertThat(history.since).isBetween(before, LocalDateTime.now().minusHours(12));
		}
	}

	@Test
	void anInvalidValueIsAUsageErrorFoundBeforeSpringStarts() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		try (CliContext context = CliContext.lazy()) {
			int exitCode = FerryCli.execute(context, new PrintWriter(out, true), new PrintWriter(err, true), "history",
					"--since", "2 days");
			assertThat(exitCode).isEqualTo(ExitCode.USAGE.code());
			assertThat(err.toString().lines().findFirst()).contains("Invalid value for option '--since': '2 days' is"
					+ " not a date (2026-11-01), a date-time (2026-11-01T06:00) or a time ago (90s, 30m, 12h, 7d)");
			assertThat(context.environment()).as("Spring was not started").isNull();
		}
		assertThat(out.toString()).isEmpty();
	}

}
