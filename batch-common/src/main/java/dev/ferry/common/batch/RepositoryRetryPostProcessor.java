package dev.ferry.common.batch;

import java.time.Duration;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Makes the job repository bean retry its writes when the repository database's
 * connection fails (see {@link RetryingRepositoryWrites}), so that every job, step and
 * the job operator use a repository that rides out a short outage.
 * <p>
 * Three retries, after 1, 2 and 4 seconds: the connection pool reconnects by itself, and
 * waits up to its connection timeout for a database that is down, so a write gives up
 * only after an outage of about two minutes.
 */
public class RepositoryRetryPostProcessor implements BeanPostProcessor {

	private static final int RETRIES = 3;

	private static final Duration FIRST_DELAY = Duration.ofSeconds(1);

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof JobRepository repository) {
			return RetryingRepositoryWrites.wrap(repository, RETRIES, FIRST_DELAY);
		}
		return bean;
	}

}
