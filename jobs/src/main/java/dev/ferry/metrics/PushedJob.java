package dev.ferry.metrics;

import dev.ferry.common.batch.JobShare;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.util.Assert;

/**
 * The job whose metrics this process pushes: the first job that starts in it (the CLI
 * runs one per process). Starting it creates the pushgateway manager, grouped by its
 * name, and by its {@code part} when it has one.
 * <p>
 * Thread-safe: the job name is set once, under a lock.
 */
final class PushedJob implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(PushedJob.class);

	private final ObjectProvider<PrometheusPushGatewayManager> pushGatewayManager;

	private @Nullable String jobName;

	private @Nullable String part;

	PushedJob(ObjectProvider<PrometheusPushGatewayManager> pushGatewayManager) {
		this.pushGatewayManager = pushGatewayManager;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		String started = jobExecution.getJobInstance().getJobName();
		synchronized (this) {
			if (this.jobName == null) {
				this.jobName = started;
				JobParameter<?> part = jobExecution.getJobParameters().getParameter(JobShare.PART);
				this.part = (part != null) ? String.valueOf(part.value()) : null;
			}
			else if (!this.jobName.equals(started)) {
				logger.warn("Job '{}' runs in the process of job '{}': its metrics are pushed under ferry_job={}",
						started, this.jobName, this.jobName);
			}
		}
		// created once, when the first job starts; pushes now, every push-rate, and on
		// close
		this.pushGatewayManager.getObject();
	}

	/**
	 * The pod's index when the job runs as a share of an Indexed Job ({@code part}), or
	 * null: the pods of one run push to groups of their own.
	 */
	synchronized @Nullable String part() {
		return this.part;
	}

	synchronized String jobName() {
		Assert.state(this.jobName != null, "No job has started in this process: there is nothing to push yet");
		return this.jobName;
	}

}
