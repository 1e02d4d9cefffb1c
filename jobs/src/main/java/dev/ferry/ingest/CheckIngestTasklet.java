package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.ferry.common.scan.ClamdClient;
import dev.ferry.common.scan.ScannerCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code checkIngest} step, before anything moves (and again on every restart: a
 * scanner, a host key or a bucket can change between runs): the scanner passes
 * {@link ScannerCheck} (PING, VERSION, EICAR found, a probe past Ferry's scan-size limit
 * not OK), the staging and quarantine directories exist (mode 0700) or the quarantine
 * bucket takes the credentials, the source answers (for SFTP: its host key is in the
 * known_hosts file; for S3: its bucket exists and takes the credentials), and the bucket
 * exists and takes the credentials. Keeps nothing in its ExecutionContext.
 */
class CheckIngestTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(CheckIngestTasklet.class);

	static final String MAX_SCAN_SIZE = "ferry.ingest.scanner.max-scan-size";

	private final IngestSource source;

	private final ClamdClient clamd;

	private final long maxScanSize;

	CheckIngestTasklet(IngestSource source, ClamdClient clamd, long maxScanSize) {
		this.source = source;
		this.clamd = clamd;
		this.maxScanSize = maxScanSize;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		String version = ScannerCheck.verify(this.clamd, this.maxScanSize, MAX_SCAN_SIZE);
		logger.info("Scanner: {} ({}): PING, EICAR and a probe past {} ({} bytes) answered as they must",
				this.clamd.describe(), version, MAX_SCAN_SIZE, this.maxScanSize);
		this.source.staging().prepare();
		try {
			this.source.quarantine().prepare();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the quarantine directory "
					+ this.source.quarantine().root() + " (" + this.source.property() + "."
					+ this.source.quarantine().property() + "): " + ex.getMessage(), ex);
		}
		this.source.files().check();
		this.source.delivery().target().checkAccess();
		IngestProperties.Source settings = this.source.settings();
		logger.info(
				"Source '{}': {} {}{} -> {} at {}, encryption {}{}; quarantine {}; unscannable files: {};"
						+ " post-action: {}; notify: {}",
				this.source.name(), this.source.files().describe(), this.source.directories(),
				settings.recursive() ? " (recursive)" : "",
				this.source.delivery().target().uri(this.source.delivery().target().location().key("")),
				this.source.delivery().target().location().displayEndpoint(),
				this.source.delivery().target().encryption(), settings.doneMarker() ? ", with .done markers" : "",
				this.source.quarantine().root(), settings.unscannable().name().toLowerCase(java.util.Locale.ROOT),
				settings.postAction(),
				(this.source.webhook() != null) ? this.source.webhook().describe() : "no webhook");
		return RepeatStatus.FINISHED;
	}

}
