package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.batch.JobShare;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code removeExtra} step, after a copy without errors: lists both sides again and
 * finds the target objects the source does not have (within the mirror's globs). With
 * {@code remove-extra} it deletes them, at most {@code max-delete}: past the cap it fails
 * before deleting anything, saying how many it would delete; a source that lists no
 * object at all counts as past the cap unless the cap is exactly {@code 100%}. Without
 * {@code remove-extra}, or with {@code dry-run}, it only reports them; without
 * {@code remove-extra} it takes their count from the {@code copyObjects} step when that
 * listed both sides whole in one execution ({@link MirrorCheckpoint}), and lists nothing
 * itself: a mirror of many objects pays for one listing, not two. Then it logs the run's
 * counts and the closing {@code Total:} line, from the {@code copyObjects} step's
 * checkpoint.
 * <p>
 * After a copy that skipped objects (the mirror's {@code skip-limit}) nothing is deleted:
 * the run was not without errors. The step then ends with exit code
 * {@code COMPLETED_WITH_SKIPS}, and so does the job.
 * <p>
 * A pod of an Indexed Job ({@code part}/{@code parts}) finds and deletes only the extras
 * of its share of the keys ({@link JobShare#includes}), and its cap counts the target
 * objects of its share (a count cap such as {@code max-delete=100} thus holds per pod);
 * whether the source lists no object at all is judged on the whole source, so an empty
 * share of a non-empty source deletes its extras as usual.
 * <p>
 * Idempotent: a restart lists again and deletes what is still extra. Keeps
 * {@code s3Mirror.extra} and {@code s3Mirror.deleted} in its ExecutionContext, for the
 * history. Not thread-safe: step-scoped.
 */
class RemoveExtraTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(RemoveExtraTasklet.class);

	static final String EXTRA = MirrorCheckpoint.NAME + ".extra";

	static final String DELETED = MirrorCheckpoint.NAME + ".deleted";

	/** DeleteObjects takes at most this many keys. */
	private static final int BATCH = 1000;

	private final MirrorPair mirror;

	private final JobRepository jobRepository;

	private final JobShare share;

	RemoveExtraTasklet(MirrorPair mirror, JobShare share, JobRepository jobRepository) {
		this.mirror = mirror;
		this.share = share;
		this.jobRepository = jobRepository;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		S3MirrorProperties.Mirror settings = this.mirror.settings();
		JobExecution job = chunkContext.getStepContext().getStepExecution().getJobExecution();
		MirrorCheckpoint counts = copyCounts(job);
		boolean skipped = counts.skipped > 0;
		boolean delete = settings.removeExtra() && !settings.dryRun() && !skipped;
		Extras extras = (!settings.removeExtra() && counts.extraListed != null)
				? new Extras(List.of(), counts.extraListed, -1, -1) : findExtras(settings.removeExtra());
		long deleted = 0;
		if (settings.removeExtra() && skipped) {
			logger.warn(
					"Mirror '{}': {} object(s) were skipped, so the {} extra object(s) in the target are kept:"
							+ " remove-extra deletes only after a copy without errors",
					this.mirror.name(), counts.skipped, extras.count());
		}
		else if (settings.removeExtra()) {
			String refusal = refusal(extras, settings.deleteCap());
			if (refusal != null && delete) {
				throw new IllegalStateException(refusal);
			}
			if (refusal != null) {
				logger.warn("Dry run: a real run would fail here: {}", refusal);
			}
			for (String key : extras.keys()) {
				if (!delete) {
					logger.info("Would remove {}", target(key));
				}
			}
			if (delete) {
				deleted = deleteAll(extras.keys());
			}
		}
		else if (extras.count() > 0) {
			logger.info("Mirror '{}': {} object(s) in the target are not in the source; kept ({}.remove-extra is"
					+ " false)", this.mirror.name(), extras.count(), this.mirror.property());
		}
		ExecutionContext context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
		context.putLong(EXTRA, extras.count());
		context.putLong(DELETED, deleted);
		contribution.incrementWriteCount(deleted);
		summarize(counts, extras.count(), deleted);
		if (skipped) {
			contribution.setExitStatus(MirrorSkips.exitStatus(this.mirror.name(), counts.skipped));
		}
		return RepeatStatus.FINISHED;
	}

	/** The counts of the job instance's {@code copyObjects} step. */
	private MirrorCheckpoint copyCounts(JobExecution job) {
		StepExecution copy = this.jobRepository.getLastStepExecution(job.getJobInstance(),
				S3MirrorConfiguration.COPY_STEP);
		return (copy != null) ? MirrorCheckpoint.from(copy.getExecutionContext()) : new MirrorCheckpoint();
	}

	/**
	 * @param keep whether to keep the keys (to delete them), or only count them
	 */
	private Extras findExtras(boolean keep) {
		KeyFilter filter = this.mirror.filter();
		Listing source = new Listing(this.mirror.source(), null, filter);
		Listing target = new Listing(this.mirror.target(), null, filter);
		List<String> keys = new ArrayList<>();
		long count = 0;
		long sourceObjects = 0;
		long targetObjects = 0;
		ListedObject next = source.next();
		for (ListedObject object = target.next(); object != null; object = target.next()) {
			if (!this.share.includes(object.key())) {
				continue;
			}
			targetObjects++;
			while (next != null && ListedObject.compareKeys(next.key(), object.key()) < 0) {
				sourceObjects++;
				next = source.next();
			}
			if (next == null || !next.key().equals(object.key())) {
				count++;
				if (keep) {
					keys.add(object.key());
				}
			}
		}
		while (next != null) {
			sourceObjects++;
			next = source.next();
		}
		return new Extras(keys, count, sourceObjects, targetObjects);
	}

	private @Nullable String refusal(Extras extras, DeleteCap cap) {
		String where = "s3://" + this.mirror.target().bucket() + "/" + this.mirror.targetKey("");
		if (extras.count() > 0 && extras.sourceObjects() == 0 && !cap.allowsWipe()) {
			return "Mirror '" + this.mirror.name() + "': the source s3://" + this.mirror.source().bucket() + "/"
					+ this.mirror.sourceKey("") + " lists no object, so all " + extras.count() + " object(s) in "
					+ where + " would be deleted; nothing was deleted. Check " + this.mirror.property()
					+ ".source (bucket, prefix, permissions); to empty the target on purpose set "
					+ this.mirror.property() + ".max-delete=100%";
		}
		long limit = cap.limit(extras.targetObjects());
		if (extras.count() > limit) {
			return "Mirror '" + this.mirror.name() + "': " + extras.count() + " object(s) in " + where
					+ " are not in the source and would be deleted, more than " + this.mirror.property()
					+ ".max-delete allows (" + cap
					+ ((cap.percent()) ? " of " + extras.targetObjects() + " = " + limit : "")
					+ "); nothing was deleted. Check the source, or raise the cap for one run";
		}
		return null;
	}

	private long deleteAll(List<String> keys) {
		long deleted = 0;
		for (int from = 0; from < keys.size(); from += BATCH) {
			List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
			List<ObjectIdentifier> objects = batch.stream()
				.map(key -> ObjectIdentifier.builder().key(this.mirror.targetKey(key)).build())
				.toList();
			DeleteObjectsResponse response = this.mirror.target()
				.client()
				.deleteObjects(request -> request.bucket(this.mirror.target().bucket())
					.delete(Delete.builder().objects(objects).quiet(true).build()));
			if (!response.errors().isEmpty()) {
				List<String> errors = response.errors()
					.stream()
					.limit(10)
					.map(error -> MirrorLog.object(this.mirror.target().bucket(), error.key()) + ": " + describe(error))
					.toList();
				throw new IllegalStateException(
						"Mirror '" + this.mirror.name() + "': the target refused to delete " + response.errors().size()
								+ " object(s), e.g. " + String.join("; ", errors) + "; check the permissions of "
								+ this.mirror.property() + ".target.access-key-id (s3:DeleteObject), then run again");
			}
			batch.forEach(key -> logger.info("Removed {}", target(key)));
			deleted += batch.size();
		}
		return deleted;
	}

	private static String describe(S3Error error) {
		return error.code() + " " + error.message();
	}

	private String target(String key) {
		return MirrorLog.object(this.mirror.target().bucket(), this.mirror.targetKey(key));
	}

	private void summarize(MirrorCheckpoint counts, long extra, long deleted) {
		logger.info(
				"Mirror '{}'{}{}: {} new, {} changed, {} unchanged, {} extra, {} deleted, {} vanished, 0 failed, {}"
						+ " skipped",
				this.mirror.name(), this.share.describe(),
				this.mirror.settings().dryRun() ? " (dry run, nothing written)" : "", counts.newObjects, counts.changed,
				counts.unchanged, extra, deleted, counts.vanished, counts.skipped);
		logger.info(MirrorLog.total(counts.totalBytes, counts.transferredBytes, counts.elapsedMillis));
	}

	/**
	 * @param keys the extra keys, relative to the prefix, when kept
	 * @param count how many there are
	 * @param sourceObjects objects the source lists (within the globs, all shares); -1
	 * when not listed
	 * @param targetObjects objects the target lists (within the globs and the share); -1
	 * when not listed
	 */
	private record Extras(List<String> keys, long count, long sourceObjects, long targetObjects) {
	}

}
