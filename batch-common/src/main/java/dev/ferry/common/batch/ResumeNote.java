package dev.ferry.common.batch;

import java.util.Comparator;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.util.Assert;

/**
 * Adds to the exit message of an execution that Ferry recovered (its process was killed,
 * or it ended UNKNOWN) which execution resumed it, as soon as that one starts, so that
 * the history says what became of it: {@code Marked FAILED by Ferry: ... ; resumed by
 * execution 14}.
 * <p>
 * Thread-safe: it only reads and writes through the job repository.
 */
public class ResumeNote implements JobExecutionListener {

	/** How a recovered execution's exit message starts. */
	public static final String RECOVERED = "Marked FAILED by Ferry: ";

	private static final Logger logger = LoggerFactory.getLogger(ResumeNote.class);

	private final JobRepository jobRepository;

	public ResumeNote(JobRepository jobRepository) {
		Assert.notNull(jobRepository, "'jobRepository' must not be null");
		this.jobRepository = jobRepository;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		JobExecution previous = previous(jobExecution);
		if (previous == null) {
			return;
		}
		ExitStatus exit = previous.getExitStatus();
		String description = exit.getExitDescription();
		if (!description.startsWith(RECOVERED) || description.contains("; resumed by execution ")) {
			return;
		}
		int lineEnd = description.indexOf('\n');
		String first = (lineEnd < 0) ? description : description.substring(0, lineEnd);
		String rest = (lineEnd < 0) ? "" : description.substring(lineEnd);
		previous.setExitStatus(
				new ExitStatus(exit.getExitCode(), first + "; resumed by execution " + jobExecution.getId() + rest));
		this.jobRepository.update(previous);
		logger.info("Execution {} resumes execution {}, which Ferry had recovered", jobExecution.getId(),
				previous.getId());
	}

	private @Nullable JobExecution previous(JobExecution current) {
		return this.jobRepository.getJobExecutions(current.getJobInstance())
			.stream()
			.filter(execution -> execution.getId() < current.getId())
			.max(Comparator.comparingLong(JobExecution::getId))
			.orElse(null);
	}

}
