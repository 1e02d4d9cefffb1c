package dev.ferry.common.batch;

import dev.ferry.common.failure.FailureRecorder;
import dev.ferry.common.fatal.WorkerErrors;
import dev.ferry.common.progress.ProgressReporter;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every job and step bean the listeners that all of Ferry's jobs share (progress
 * lines, Errors of worker threads, failure root causes), so that a new job cannot forget
 * them.
 * <p>
 * The listeners are looked up lazily: a {@link BeanPostProcessor} is created before the
 * beans it would otherwise pull in early.
 */
public class FerryListenersPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ProgressReporter> progressReporter;

	private final ObjectProvider<WorkerErrors> workerErrors;

	private final ObjectProvider<FailureRecorder> failureRecorder;

	private final ObjectProvider<ResumeNote> resumeNote;

	public FerryListenersPostProcessor(ObjectProvider<ProgressReporter> progressReporter,
			ObjectProvider<WorkerErrors> workerErrors, ObjectProvider<FailureRecorder> failureRecorder,
			ObjectProvider<ResumeNote> resumeNote) {
		this.progressReporter = progressReporter;
		this.workerErrors = workerErrors;
		this.failureRecorder = failureRecorder;
		this.resumeNote = resumeNote;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractStep step) {
			this.progressReporter.ifAvailable(step::registerStepExecutionListener);
			this.workerErrors.ifAvailable(step::registerStepExecutionListener);
		}
		if (bean instanceof AbstractJob job) {
			this.failureRecorder.ifAvailable(job::registerJobExecutionListener);
			this.resumeNote.ifAvailable(job::registerJobExecutionListener);
		}
		return bean;
	}

}
