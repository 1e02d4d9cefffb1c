package dev.ferry.common.batch;

import java.time.Duration;
import java.util.Set;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.batch.core.Entity;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Retries the job repository's status and checkpoint writes ({@code update},
 * {@code updateExecutionContext}) that fail because the repository database's connection
 * did (a database restart or failover, a dropped connection,
 * {@code pg_terminate_backend}): the pool throws the dead connection away, and the next
 * attempt gets a new one. Without it, the write a step makes as it ends fails on a
 * connection that died a moment before, and Spring Batch marks the step UNKNOWN.
 * <p>
 * Only writes made outside a transaction are retried: a chunk's checkpoint is written in
 * the chunk's transaction, on the connection that holds the chunk's other writes, and
 * once that connection is gone the chunk is lost with it; the step fails and the next run
 * resumes from the last committed checkpoint. Entities are versioned (optimistic
 * locking): each attempt starts from the version the first one had, so a write that did
 * reach the database before its connection failed is refused on retry instead of being
 * written twice.
 * <p>
 * Thread-safe.
 */
final class RetryingRepositoryWrites implements MethodInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(RetryingRepositoryWrites.class);

	private static final Set<String> WRITES = Set.of("update", "updateExecutionContext");

	/**
	 * Failures of the connection or of getting one; not optimistic-locking or data
	 * errors, which another attempt would only repeat.
	 */
	private static final Set<Class<? extends Throwable>> CONNECTION_FAILURES = Set.of(
			DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
			RecoverableDataAccessException.class, CannotCreateTransactionException.class,
			TransactionSystemException.class);

	private final RetryTemplate retryTemplate;

	/**
	 * @param retries how often a failed write is tried again
	 * @param firstDelay the wait before the first retry, doubled for each next one
	 */
	RetryingRepositoryWrites(int retries, Duration firstDelay) {
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(retries)
			.delay(firstDelay)
			.multiplier(2)
			.predicate(RetryingRepositoryWrites::isConnectionFailure)
			.build();
		this.retryTemplate = new RetryTemplate(policy);
		this.retryTemplate.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
				logger.warn("{} failed ({}); trying again on a new connection", retryable.getName(),
						state.getLastException().getMessage());
			}

		});
	}

	/** A job repository whose writes outside a transaction are retried. */
	static JobRepository wrap(JobRepository repository, int retries, Duration firstDelay) {
		ProxyFactory proxy = new ProxyFactory(JobRepository.class, new RetryingRepositoryWrites(retries, firstDelay));
		proxy.setTarget(repository);
		return (JobRepository) proxy.getProxy(RetryingRepositoryWrites.class.getClassLoader());
	}

	static boolean isConnectionFailure(Throwable failure) {
		return CONNECTION_FAILURES.stream().anyMatch(type -> type.isInstance(failure));
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (!WRITES.contains(invocation.getMethod().getName())
				|| TransactionSynchronizationManager.isActualTransactionActive()) {
			return invocation.proceed();
		}
		Object[] arguments = invocation.getArguments();
		Entity entity = (arguments.length == 1 && arguments[0] instanceof Entity written) ? written : null;
		Integer version = (entity != null) ? entity.getVersion() : null;
		String name = "Job repository write " + invocation.getMethod().getName() + "("
				+ ((entity != null) ? entity.getClass().getSimpleName() + " " + entity.getId() : "") + ")";
		try {
			return this.retryTemplate.execute(new Retryable<@Nullable Object>() {

				@Override
				public @Nullable Object execute() throws Throwable {
					if (entity != null) {
						entity.setVersion(version);
					}
					return ((ProxyMethodInvocation) invocation).invocableClone().proceed();
				}

				@Override
				public String getName() {
					return name;
				}

			});
		}
		catch (org.springframework.core.retry.RetryException ex) {
			// the write's own exception, as if it had not been retried
			throw ex.getLastException();
		}
	}

}
