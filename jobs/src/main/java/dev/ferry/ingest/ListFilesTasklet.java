package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code listFiles} step: lists the source's directories and records every file that
 * matches the pattern and is old enough ({@code min-age}) in the ledger, once per version
 * (source, path, size, mtime): as {@code listed}, or {@code rejected} with the reason (a
 * link, not a regular file, a name Ferry refuses: {@link FileNames}, a path that does not
 * match {@code name-regex}). Runs again on every run and restart; a version the ledger
 * has is left alone, so listing twice costs nothing. One transaction: a run killed while
 * listing lists again. Keeps nothing in its ExecutionContext. A pod of an Indexed Job
 * records only the files of its share ({@link Ledger#takes}).
 */
class ListFilesTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(ListFilesTasklet.class);

	private final IngestSource source;

	private final Ledger ledger;

	private final long executionId;

	private final @Nullable Pattern nameRegex;

	ListFilesTasklet(IngestSource source, Ledger ledger, long executionId) {
		this.source = source;
		String regex = source.settings().nameRegex();
		this.nameRegex = (regex != null && !regex.isEmpty()) ? Pattern.compile(regex) : null;
		this.ledger = ledger;
		this.executionId = executionId;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		IngestProperties.Source settings = this.source.settings();
		Instant readyBefore = Instant.now().minus(settings.minAge());
		int seen = 0;
		int added = 0;
		int rejected = 0;
		int young = 0;
		int tagged = 0;
		for (String directory : this.source.directories()) {
			for (ListedFile file : list(directory, settings.recursive())) {
				if (!this.ledger.takes(file.path())) {
					continue;
				}
				if (!this.source.glob().matches(FileNames.name(file.relative()))) {
					continue;
				}
				seen++;
				if (file.mtime().isAfter(readyBefore)) {
					young++;
					continue;
				}
				if (taggedBefore(file)) {
					tagged++;
					continue;
				}
				String rejection = rejection(file);
				if (rejection == null && this.nameRegex != null && !this.nameRegex.matcher(file.relative()).matches()) {
					rejection = "the name does not match " + this.source.property() + ".name-regex ("
							+ settings.nameRegex() + ")";
				}
				if (this.ledger.insert(this.source.name(), file, rejection, this.executionId)) {
					contribution.incrementReadCount();
					added++;
					if (rejection != null) {
						rejected++;
						logger.warn("File {}: REJECTED: {}", IngestLog.quoted(file.path()), rejection);
					}
				}
			}
		}
		logger.info(
				"Source '{}': {} file(s) listed, {} new in the ledger ({} rejected), {} younger than {}"
						+ " (taken by a later run){}",
				this.source.name(), seen, added, rejected, young, settings.minAge(),
				(tagged > 0) ? ", " + tagged + " tagged " + FileWork.TAG + " already (the store moved their"
						+ " LastModified when Ferry tagged them)" : "");
		return RepeatStatus.FINISHED;
	}

	private Iterable<ListedFile> list(String directory, boolean recursive) {
		try {
			return this.source.files().list(directory, recursive);
		}
		catch (IOException ex) {
			String setting = (this.source.settings().type() == IngestProperties.SourceType.S3) ? ".s3" : ".directories";
			throw new UncheckedIOException("Could not list '" + directory + "' of source '" + this.source.name() + "' ("
					+ this.source.property() + setting + "): " + ex.getMessage(), ex);
		}
	}

	/**
	 * With post-action {@code tag}: whether a version the ledger does not have carries
	 * Ferry's tag, which only Ferry's post-action sets and a rewrite of the object drops.
	 * Such a version is the one Ferry ingested, on a store whose tagging changes
	 * LastModified (Ceph RGW); AWS keeps it, so there the ledger has the version and the
	 * tags are never read.
	 */
	private boolean taggedBefore(ListedFile file) {
		if (!this.source.settings().tagsSource() || this.ledger.has(this.source.name(), file)) {
			return false;
		}
		try {
			return this.source.files().tagValue(file.path(), FileWork.TAG) != null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the tags of " + IngestLog.quoted(file.path())
					+ " of source '" + this.source.name() + "': " + ex.getMessage(), ex);
		}
	}

	static @Nullable String rejection(ListedFile file) {
		String problem = FileNames.problem(file.relative());
		if (problem != null) {
			return problem;
		}
		return switch (file.kind()) {
			case REGULAR -> null;
			case SYMLINK -> "it is a symbolic link; Ferry never follows links";
			case DIRECTORY -> "it is a directory, and the source is not recursive";
			case OTHER -> "it is not a regular file (a device, socket or FIFO)";
		};
	}

}
