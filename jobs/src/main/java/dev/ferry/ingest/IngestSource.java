package dev.ferry.ingest;

import dev.ferry.common.s3.S3Target;
import org.jspecify.annotations.Nullable;

/**
 * One configured source, opened: where its files come from, where they go, and its
 * settings. Closes its connections.
 *
 * @param name the source's name (the job parameter {@code source})
 * @param settings its configuration
 * @param files the files' source (local, SFTP or S3)
 * @param delivery the S3 destination of clean files
 * @param quarantine the destination of infected and unscannable ones
 * @param staging where files are downloaded to
 * @param glob the file name pattern
 * @param webhook told of every file quarantined, or null
 */
record IngestSource(String name, IngestProperties.Source settings, FileSource files, Delivery delivery,
		Quarantine quarantine, Staging staging, NameGlob glob, @Nullable Webhook webhook) implements AutoCloseable {

	static IngestSource open(String name, IngestProperties.Source settings, IngestProperties properties) {
		String property = IngestProperties.property(name);
		FileSource files = switch (settings.type()) {
			case SFTP -> new SftpFileSource(settings.sftp(), property + ".sftp");
			case LOCAL -> new LocalFileSource();
			case S3 -> S3FileSource.open(settings.s3(), settings.s3Encryption(), property);
		};
		S3Target target = S3Target.open(settings.target(), settings.encryption(), property + ".target",
				property + ".encryption", 4);
		return new IngestSource(name, settings, files, new Delivery(target, settings.doneMarker()),
				Quarantine.of(settings, name), new Staging(properties.stagingDir(), name),
				NameGlob.of(settings.pattern()), Webhook.open(settings.notification(), property + ".notify"));
	}

	/** The directories to list (for S3: {@code s3://bucket/prefix/}). */
	java.util.List<String> directories() {
		return this.files.directories(this.settings);
	}

	/** {@code ferry.ingest.sources.<name>}, for messages. */
	String property() {
		return IngestProperties.property(this.name);
	}

	@Override
	public void close() {
		try {
			this.files.close();
		}
		finally {
			try {
				this.delivery.target().close();
			}
			finally {
				try {
					this.quarantine.close();
				}
				finally {
					if (this.webhook != null) {
						this.webhook.close();
					}
				}
			}
		}
	}

}
