package dev.ferry.cli;

import java.util.List;

import dev.ferry.run.ExitCode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;

import static org.assertj.core.api.Assertions.assertThat;

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

}
