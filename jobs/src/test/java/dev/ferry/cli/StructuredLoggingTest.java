package dev.ferry.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.TestJobDatabase;
import dev.ferry.testkit.FerryProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * With {@code logging.structured.format.console=ecs}, everything a Ferry process prints
 * (stdout and stderr, as a pod's log collector reads them) is one ECS JSON event per
 * line, the CLI's outcome included, with its exit code as a field.
 */
class StructuredLoggingTest {

	static final TestJobDatabase db = TestJobDatabase.create();

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	static final JsonMapper json = JsonMapper.builder().build();

	FerryProcess.Builder ferry() {
		return FerryProcess.builder()
			.repository(db.database())
			.env("FERRY_TESTJOB_ENABLED", "true")
			.env("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
	}

	@Test
	void aCompletedRunPrintsOnlyJsonEventsWithItsProgressAndOutcome() {
		List<JsonNode> events;
		try (FerryProcess ferry = ferry().start("run", "countingJob", "runDate=2026-07-01", "items=30")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isZero();
			events = events(ferry.output());
		}
		assertThat(db.sinkCount()).isEqualTo(30);
		assertThat(events).extracting(event -> event.path("message").asString())
			.contains("Executing step: [countingStep]")
			.anyMatch(message -> message.startsWith("Step 'countingStep' COMPLETED: 30 items read, 30 written"));
		JsonNode outcome = outcome(events);
		assertThat(outcome.path("log").path("level").asString()).isEqualTo("INFO");
		assertThat(outcome.path("message").asString()).isEqualTo(
				"Job 'countingJob' execution " + db.lastExecutionId() + " ended COMPLETED (exit code COMPLETED)");
		assertThat(outcome.path("ferry").path("exit_code").asInt()).isZero();
		assertThat(outcome.path("ferry").path("job").asString()).isEqualTo("countingJob");
		assertThat(outcome.path("ferry").path("execution_id").asLong()).isEqualTo(db.lastExecutionId());
		assertThat(outcome.path("ferry").path("status").asString()).isEqualTo("COMPLETED");
	}

	@Test
	void aFailedRunKeepsItsStackTracesInsideJsonEventsAndLogsItsOutcomeAsAnError() {
		List<JsonNode> events;
		try (FerryProcess ferry = ferry().env("FERRY_TESTJOB_FAILAT", "7")
			.start("run", "countingJob", "runDate=2026-07-02", "items=30")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.FAILED.code());
			events = events(ferry.output());
		}
		assertThat(events).anySatisfy(event -> assertThat(event.path("error").path("stack_trace").asString())
			.contains("Failing on purpose at item 7")
			.contains("\n\tat "));
		JsonNode outcome = outcome(events);
		assertThat(outcome.path("log").path("level").asString()).isEqualTo("ERROR");
		assertThat(outcome.path("message").asString()).endsWith("ended FAILED (exit code FAILED); see 'ferry show "
				+ db.lastExecutionId() + "', then resume it with 'ferry restart " + db.lastExecutionId() + "'");
		assertThat(outcome.path("ferry").path("exit_code").asInt()).isEqualTo(ExitCode.FAILED.code());
		assertThat(outcome.path("ferry").path("status").asString()).isEqualTo("FAILED");
	}

	@Test
	void aStartUpFailureIsAJsonEventThatNamesTheProperty() {
		List<JsonNode> events;
		try (FerryProcess ferry = FerryProcess.builder()
			.env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/ferry")
			.env("SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT", "1")
			.env("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
			.start("history")) {
			assertThat(ferry.waitFor(TIMEOUT)).as(ferry.output()).isEqualTo(ExitCode.CONFIGURATION.code());
			events = events(ferry.output());
		}
		JsonNode outcome = outcome(events);
		assertThat(outcome.path("log").path("level").asString()).isEqualTo("ERROR");
		assertThat(outcome.path("message").asString())
			.startsWith("could not connect to the job repository database (spring.datasource.url)");
		assertThat(outcome.path("ferry").path("exit_code").asInt()).isEqualTo(ExitCode.CONFIGURATION.code());
	}

	/** Every non-empty line as an ECS event; fails on the first line that is not one. */
	private static List<JsonNode> events(String output) {
		List<JsonNode> events = output.lines().filter(line -> !line.isBlank()).map(line -> {
			JsonNode event;
			try {
				event = json.readTree(line);
			}
			catch (JacksonException ex) {
				return fail("Not a JSON line: %s%nin output:%n%s", line, output);
			}
			assertThat(Instant.parse(event.path("@timestamp").asString())).as(line).isBefore(Instant.now());
			assertThat(event.path("log").path("level").asString()).as(line)
				.isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
			assertThat(event.path("log").path("logger").asString()).as(line).isNotBlank();
			assertThat(event.path("message").isString()).as(line).isTrue();
			assertThat(event.path("service").path("name").asString()).as(line).isEqualTo("ferry");
			assertThat(event.path("ecs").path("version").asString()).as(line).isNotBlank();
			return event;
		}).toList();
		assertThat(events).as(output).isNotEmpty();
		return events;
	}

	/** The CLI's one outcome event. */
	private static JsonNode outcome(List<JsonNode> events) {
		List<JsonNode> outcomes = events.stream()
			.filter(event -> event.path("log").path("logger").asString().equals(Outcomes.class.getName()))
			.toList();
		assertThat(outcomes).as("outcome events in %s", events).hasSize(1);
		return outcomes.getFirst();
	}

}
