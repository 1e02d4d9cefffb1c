package dev.ferry.metrics;

import java.util.Map;

import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Pushes a run's metrics to a Prometheus pushgateway, as a CronJob pod that no Prometheus
 * scrapes must: when its job starts, every {@code push-rate} while it runs, and once more
 * when the process ends (the CLI closes the Spring context before it exits).
 * <p>
 * Each job pushes to a group of its own, {@code /metrics/job/<job>/ferry_job/<job name>}
 * (and {@code /ferry_part/<part>} for a pod of an Indexed Job, {@code part=<i>}): a push
 * replaces the metric families of its group, so the runs of different jobs sharing one
 * group would overwrite each other's series (and share one {@code push_time_seconds},
 * making "no successful run for a day" alerts per job impossible). Spring Boot's own
 * pushgateway manager cannot do that, since it pushes from start-up with a grouping key
 * fixed by the configuration, while the job is known only when a command starts it
 * ({@code ferry restart <executionId>} finds it in the repository). This configuration
 * replaces it with the same manager built when a job starts, from the same
 * {@code management.prometheus.metrics.export.pushgateway.*} properties. Commands that
 * run no job ({@code history}, {@code stop}...) push nothing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("management.prometheus.metrics.export.pushgateway.enabled")
public class PushgatewayConfiguration {

	/** The grouping key label that names the Ferry job. */
	public static final String JOB_GROUPING_KEY = "ferry_job";

	/**
	 * The grouping key label that names the share of a pod of an Indexed Job: without it,
	 * the pods of one run would replace each other's series.
	 */
	public static final String PART_GROUPING_KEY = "ferry_part";

	@Bean
	PushedJob pushedJob(ObjectProvider<PrometheusPushGatewayManager> pushGatewayManager,
			PrometheusProperties properties) {
		// at start-up, as Spring Boot checks it, not when the first job starts
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn(entries -> {
			entries.put("management.prometheus.metrics.export.pushgateway.token",
					properties.getPushgateway().getToken());
			entries.put("management.prometheus.metrics.export.pushgateway.username",
					properties.getPushgateway().getUsername());
		});
		return new PushedJob(pushGatewayManager);
	}

	/**
	 * Created by {@link PushedJob} when the first job starts; its presence also keeps
	 * Spring Boot's start-up manager away. Closing the context runs its shutdown
	 * operation: the final push.
	 */
	@Bean(destroyMethod = "shutdown")
	@Lazy
	PrometheusPushGatewayManager prometheusPushGatewayManager(PrometheusRegistry registry,
			PrometheusProperties properties, Environment environment, PushedJob pushedJob) {
		PrometheusProperties.Pushgateway pushgateway = properties.getPushgateway();
		return new PrometheusPushGatewayManager(
				pushGateway(registry, pushgateway, environment, pushedJob.jobName(), pushedJob.part()),
				pushgateway.getPushRate(), pushgateway.getShutdownOperation());
	}

	/** Registers {@link PushedJob} on every job. */
	@Bean
	static BeanPostProcessor pushedJobRegistrar(ObjectProvider<PushedJob> pushedJob) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractJob job) {
					job.registerJobExecutionListener(pushedJob.getObject());
				}
				return bean;
			}

		};
	}

	/** As Spring Boot builds it, plus the job's grouping key. */
	static PushGateway pushGateway(PrometheusRegistry registry, PrometheusProperties.Pushgateway properties,
			Environment environment, String jobName, @Nullable String part) {
		PushGateway.Builder builder = PushGateway.builder()
			.address(properties.getAddress())
			.scheme(switch (properties.getScheme()) {
				case HTTP -> Scheme.HTTP;
				case HTTPS -> Scheme.HTTPS;
			})
			.format(switch (properties.getFormat()) {
				case TEXT -> Format.PROMETHEUS_TEXT;
				case PROTOBUF -> Format.PROMETHEUS_PROTOBUF;
			})
			.job(StringUtils.hasText(properties.getJob()) ? properties.getJob()
					: environment.getProperty("spring.application.name", "ferry"))
			.registry(registry);
		if (StringUtils.hasText(properties.getToken())) {
			builder.bearerToken(properties.getToken());
		}
		else if (StringUtils.hasText(properties.getUsername())) {
			builder.basicAuth(properties.getUsername(), properties.getPassword());
		}
		for (Map.Entry<String, String> key : properties.getGroupingKey().entrySet()) {
			if (!key.getKey().equals(JOB_GROUPING_KEY) && !key.getKey().equals(PART_GROUPING_KEY)) {
				builder.groupingKey(key.getKey(), key.getValue());
			}
		}
		if (part != null) {
			builder.groupingKey(PART_GROUPING_KEY, part);
		}
		return builder.groupingKey(JOB_GROUPING_KEY, jobName).build();
	}

}
