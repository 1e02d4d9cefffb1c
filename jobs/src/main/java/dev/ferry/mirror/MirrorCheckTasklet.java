package dev.ferry.mirror;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code checkMirror} step: both buckets exist and take their credentials, before
 * anything is copied (and again on every restart: buckets and keys change between runs).
 * A target inside the source is refused by the configuration already
 * ({@link S3MirrorProperties.Mirror#isTarget()}). Keeps nothing in its ExecutionContext.
 */
class MirrorCheckTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(MirrorCheckTasklet.class);

	private final MirrorPair mirror;

	MirrorCheckTasklet(MirrorPair mirror) {
		this.mirror = mirror;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		this.mirror.source().checkAccess();
		this.mirror.target().checkAccess();
		S3MirrorProperties.Mirror settings = this.mirror.settings();
		logger.info("Mirror '{}': s3://{}/{} at {} -> s3://{}/{} at {}, encryption {}{}{}", this.mirror.name(),
				this.mirror.source().bucket(), this.mirror.sourceKey(""),
				this.mirror.source().location().displayEndpoint(), this.mirror.target().bucket(),
				this.mirror.targetKey(""), this.mirror.target().location().displayEndpoint(),
				this.mirror.target().encryption(),
				settings.removeExtra() ? ", removing extra objects (at most " + settings.maxDelete() + ")" : "",
				settings.dryRun() ? "; DRY RUN: nothing is written" : "");
		return RepeatStatus.FINISHED;
	}

}
