package dev.ferry.metrics;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ferry's pushgateway manager takes the place of Spring Boot's, is not created before a
 * job starts, and checks the configuration at start-up as Boot's does.
 */
class PushgatewayConfigurationTest {

	final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class))
		.withUserConfiguration(PushgatewayConfiguration.class)
		.withPropertyValues("management.prometheus.metrics.export.pushgateway.enabled=true");

	@Test
	void springBootsManagerBacksOffAndFerrysIsCreatedOnlyWhenAJobStarts() {
		this.contexts.run(context -> {
			assertThat(context).hasNotFailed().hasSingleBean(PushedJob.class);
			assertThat(context.getBeanNamesForType(PrometheusPushGatewayManager.class))
				.containsExactly("prometheusPushGatewayManager");
			assertThat(context.getBeanFactory().getBeanDefinition("prometheusPushGatewayManager").isLazyInit())
				.isTrue();
			assertThat(context.getBeanFactory().containsSingleton("prometheusPushGatewayManager")).isFalse();
		});
	}

	@Test
	void nothingIsRegisteredWhenThePushgatewayIsDisabled() {
		this.contexts.withPropertyValues("management.prometheus.metrics.export.pushgateway.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(PushedJob.class)
				.doesNotHaveBean(PrometheusPushGatewayManager.class));
	}

	@Test
	void aTokenAndAUsernameTogetherFailTheStart() {
		this.contexts
			.withPropertyValues("management.prometheus.metrics.export.pushgateway.token=t",
					"management.prometheus.metrics.export.pushgateway.username=u")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
				.hasMessageContaining("management.prometheus.metrics.export.pushgateway.token")
				.hasMessageContaining("management.prometheus.metrics.export.pushgateway.username"));
	}

}
