package dev.ferry.cli;

import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.run.ExitCode;
import jakarta.validation.Validation;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class StartupFailureTest {

	@Test
	void mutuallyExclusivePropertiesSetTogetherAreAConfigurationErrorThatNamesThem() {
		List<String> names = List.of("management.prometheus.metrics.export.pushgateway.token",
				"management.prometheus.metrics.export.pushgateway.username");
		StartupFailure failure = StartupFailure.explain(new BeanCreationException("pushedJob", "Failed to instantiate",
				new MutuallyExclusiveConfigurationPropertiesException(names, names)));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).startsWith("invalid configuration: ")
			.contains("management.prometheus.metrics.export.pushgateway.token")
			.contains("management.prometheus.metrics.export.pushgateway.username");
	}

	@Test
	void aRefusedValidationNamesThePropertyAndItsValueInOneLine() {
		Throwable bindFailure = catchThrowable(() -> bind(Map.of("ferry.sample.parallelism", "4")));
		StartupFailure failure = StartupFailure
			.explain(new BeanCreationException("sample", "Could not bind", bindFailure));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message())
			.isEqualTo("invalid configuration: ferry.sample.bucket: must not be blank (value: null)");
	}

	@Test
	void aValueThatCannotBeBoundNamesThePropertyAndTheReason() {
		Throwable bindFailure = catchThrowable(
				() -> new Binder(new MapConfigurationPropertySource(Map.of("ferry.zone", "Mars/Olympus_Mons")))
					.bind("ferry.zone", ZoneId.class));
		StartupFailure failure = StartupFailure
			.explain(new BeanCreationException("ferry", "Could not bind", bindFailure));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).isEqualTo(
				"invalid configuration: property 'ferry.zone' = 'Mars/Olympus_Mons': Unknown time-zone ID: Mars/Olympus_Mons");
	}

	@Test
	void aPasswordInAUrlThatCannotBeBoundIsMasked() {
		// made up per run (no secret lives in the code), six characters like the index
		// below counts
		String password = UUID.randomUUID().toString().substring(0, 6);
		Throwable bindFailure = catchThrowable(() -> new Binder(new MapConfigurationPropertySource(
				Map.of("ferry.sample.endpoint", "http://ferry:" + password + "@[s3.example.com/")))
			.bind("ferry.sample.endpoint", URI.class));
		StartupFailure failure = StartupFailure
			.explain(new BeanCreationException("sample", "Could not bind", bindFailure));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).isEqualTo("invalid configuration: property 'ferry.sample.endpoint' ="
				+ " 'http://ferry:***@[s3.example.com/': Invalid URI syntax: Expected closing bracket for IPv6 address"
				+ " at index 35: http://ferry:***@[s3.example.com/");
	}

	@Test
	void anUnreachableRepositoryDatabaseNamesTheUrlProperty() {
		StartupFailure failure = StartupFailure
			.explain(new BeanCreationException("flywayInitializer", "Unable to obtain connection from database",
					new SQLException("Connection to 127.0.0.1:1 refused", "08001")));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).isEqualTo(
				"could not connect to the job repository database (spring.datasource.url): Connection to 127.0.0.1:1 refused");
	}

	@Test
	void refusedCredentialsNameTheCredentialProperties() {
		StartupFailure failure = StartupFailure
			.explain(new BeanCreationException("flywayInitializer", "Unable to obtain connection from database",
					new SQLException("FATAL: password authentication failed for user \"ferry\"", "28P01")));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).isEqualTo("the job repository database refused the credentials"
				+ " (spring.datasource.username, spring.datasource.password):"
				+ " FATAL: password authentication failed for user \"ferry\"");
	}

	@Test
	void aRepositoryDataSourceThatCannotBeBuiltAsksForTheUrl() {
		StartupFailure failure = StartupFailure.explain(new BeanCreationException("dataSource", "Failed to create",
				new BeanInstantiationException(HikariDataSource.class, "Factory method 'dataSource' threw exception",
						new IllegalStateException("Failed to determine a suitable driver class"))));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).isEqualTo("the job repository database is not configured: set"
				+ " spring.datasource.url (environment SPRING_DATASOURCE_URL=jdbc:postgresql://host:5432/ferry):"
				+ " Failed to determine a suitable driver class");
	}

	@Test
	void anAnalysisOfSpringBootsOwnIsOneLineToo() {
		StartupFailure failure = StartupFailure.explain(
				new BeanCreationException("sample", "Failed to create",
						new InvalidConfigurationPropertyValueException("ferry.sample.mode", "fast", "not a mode")),
				new StandardEnvironment());
		assertThat(failure.exitCode()).isEqualTo(ExitCode.CONFIGURATION);
		assertThat(failure.message()).isEqualTo("Invalid value 'fast' for configuration property 'ferry.sample.mode'."
				+ " Validation failed for the following reason: not a mode");
	}

	@Test
	void aFailureNoAnalyzerKnowsIsAFailedCommandWithItsCauseChain() {
		StartupFailure failure = StartupFailure.explain(new IllegalStateException("Could not list executions",
				new SQLException("relation \"ferry_job_history\" does not exist", "42P01")));
		assertThat(failure.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(failure.message()).isEqualTo("java.lang.IllegalStateException: Could not list executions;"
				+ " caused by java.sql.SQLException: relation \"ferry_job_history\" does not exist");
		assertThat(StartupFailure.explain(new IOException("disk full")).message())
			.isEqualTo("java.io.IOException: disk full");
	}

	private static void bind(Map<String, String> properties) {
		SpringValidatorAdapter validator = new SpringValidatorAdapter(
				Validation.buildDefaultValidatorFactory().getValidator());
		new Binder(new MapConfigurationPropertySource(properties)).bind("ferry.sample", Bindable.of(Sample.class),
				new ValidationBindHandler(validator));
	}

	/**
	 * Settings of a job, validated as Ferry's are.
	 *
	 * @param bucket required
	 * @param parallelism at least 1
	 */
	record Sample(@NotBlank String bucket, @Min(1) int parallelism) {

	}

}
