package dev.ferry.run;

import java.time.LocalDateTime;

import dev.ferry.common.batch.ResumeNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The statuses Ferry writes on executions that no process is running: FAILED for one left
 * behind (recovered), ABANDONED, and STOPPING for a stop request. Always under the run
 * lock of the execution's job instance, or from the process that runs it.
 * <p>
 * Not Spring Batch's {@code JobOperator.recover} and {@code abandon}: recover leaves an
 * UNKNOWN execution as it is, and abandon only ever raises a status, and UNKNOWN ranks
 * above ABANDONED, so an UNKNOWN execution stayed UNKNOWN, and its job instance could
 * neither restart nor be given up. Ferry knows more than Spring Batch there: its
 * checkpoints only ever advance over work the target acknowledged, and whoever holds the
 * run lock knows that no process runs the execution, so an execution that ended UNKNOWN
 * (its last repository write failed) resumes safely from its last committed checkpoint.
 * <p>
 * Thread-safe.
 */
public class ExecutionStates {

	private static final Logger logger = LoggerFactory.getLogger(ExecutionStates.class);

	private final JobRepository jobRepository;

	private final TransactionTemplate transaction;

	public ExecutionStates(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		this.jobRepository = jobRepository;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * Whether an execution must be recovered before its job instance can run again:
	 * marked running (its process was killed, or it would hold the run lock) or UNKNOWN
	 * (a repository write failed under it), itself or in one of its steps. Spring Batch
	 * refuses to restart either.
	 */
	static boolean needsRecovery(JobExecution execution) {
		BatchStatus status = execution.getStatus();
		if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
			return false;
		}
		return leftUnfinished(status)
				|| execution.getStepExecutions().stream().anyMatch(step -> leftUnfinished(step.getStatus()));
	}

	private static boolean leftUnfinished(BatchStatus status) {
		return status.isRunning() || status == BatchStatus.UNKNOWN;
	}

	/**
	 * Marks an execution that no process runs FAILED, and its steps that were running or
	 * UNKNOWN too, in one transaction, so that Spring Batch restarts them from their last
	 * committed ExecutionContext (which this leaves as it is).
	 * @param execution the execution, as the repository has it
	 * @param reason why, a clause such as "it ended UNKNOWN and no process holds its run
	 * lock": its exit message starts with it
	 * @return the execution as the repository now has it
	 */
	JobExecution recover(JobExecution execution, String reason) {
		logger.warn("Execution {} of job '{}': {}. Marking it FAILED so that it resumes from its last committed"
				+ " checkpoint.", execution.getId(), execution.getJobInstance().getJobName(), reason);
		this.transaction.executeWithoutResult(status -> {
			LocalDateTime now = LocalDateTime.now();
			for (StepExecution step : execution.getStepExecutions()) {
				if (leftUnfinished(step.getStatus())) {
					step.setStatus(BatchStatus.FAILED);
					step.setExitStatus(failed(step.getExitStatus(), reason));
					if (step.getEndTime() == null) {
						step.setEndTime(now);
					}
					this.jobRepository.update(step);
				}
			}
			execution.setStatus(BatchStatus.FAILED);
			execution.setExitStatus(failed(execution.getExitStatus(), reason));
			if (execution.getEndTime() == null) {
				execution.setEndTime(now);
			}
			this.jobRepository.update(execution);
		});
		return reload(execution);
	}

	/** FAILED, with the reason first and what the execution had said before after it. */
	private static ExitStatus failed(ExitStatus before, String reason) {
		String marked = ResumeNote.RECOVERED + reason;
		String earlier = before.getExitDescription();
		return new ExitStatus(ExitStatus.FAILED.getExitCode(), earlier.isEmpty() ? marked : marked + "\n" + earlier);
	}

	/**
	 * Marks an execution ABANDONED, whatever it ended as: its job instance never runs
	 * again. Recover it first if it {@linkplain #needsRecovery needs it}.
	 */
	JobExecution abandon(JobExecution execution) {
		execution.setStatus(BatchStatus.ABANDONED);
		if (execution.getEndTime() == null) {
			execution.setEndTime(LocalDateTime.now());
		}
		this.transaction.executeWithoutResult(status -> this.jobRepository.update(execution));
		return reload(execution);
	}

	/**
	 * Marks an execution STOPPING. The process that runs it sees the status the next time
	 * it saves a chunk, and stops there. Not {@code JobOperator.stop}: that also writes
	 * the step executions it loaded, execution contexts included, over those of the
	 * running step, which then restarts from a stale checkpoint.
	 */
	void requestStop(JobExecution execution) {
		execution.setStatus(BatchStatus.STOPPING);
		this.jobRepository.update(execution);
	}

	private JobExecution reload(JobExecution execution) {
		JobExecution reloaded = this.jobRepository.getJobExecution(execution.getId());
		return (reloaded != null) ? reloaded : execution;
	}

}
