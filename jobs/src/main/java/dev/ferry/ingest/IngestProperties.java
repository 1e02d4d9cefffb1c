package dev.ferry.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.ServerSideEncryption;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest job ({@code ferry.ingest.*}): the scanner, the staging
 * directory, and the configured sources by name. The job parameter {@code source} picks
 * one.
 *
 * @param sources the sources, by name (lower case letters, digits and dashes: names also
 * come from environment variables, which Spring reads in lower case)
 * @param scanner the clamd every file is scanned by
 * @param stagingDir where a file is downloaded to before it is scanned: at most
 * {@code concurrency} files of a source at a time, each at most
 * {@code scanner.max-scan-size}; created with mode 0700 (default
 * {@code <java.io.tmpdir>/ferry-ingest})
 */
@Validated
@ConfigurationProperties("ferry.ingest")
record IngestProperties(@DefaultValue Map<String, @Valid Source> sources, @Valid @NotNull Scanner scanner,
		@Nullable Path stagingDir) {

	IngestProperties {
		stagingDir = (stagingDir != null) ? stagingDir : Path.of(System.getProperty("java.io.tmpdir"), "ferry-ingest");
	}

	static final String PREFIX = "ferry.ingest.sources";

	@AssertTrue(message = "names must be lower case letters, digits and dashes, starting with a letter or digit")
	public boolean isSources() {
		return this.sources == null
				|| this.sources.keySet().stream().allMatch(name -> name.matches("[a-z0-9][a-z0-9-]*"));
	}

	/** The configuration prefix of one source, for messages. */
	static String property(String source) {
		return PREFIX + "." + source;
	}

	/**
	 * The clamd that scans every file.
	 *
	 * @param host clamd's host
	 * @param port clamd's TCP port ({@code TCPSocket})
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for a verdict once a file is sent
	 * @param maxScanSize Ferry's own scan-size limit: larger files are unscannable and
	 * never sent; clamd's StreamMaxLength, MaxFileSize and MaxScanSize must be at least
	 * this, with AlertExceedsMax yes (checked before every run)
	 */
	record Scanner(@NotBlank String host, @Min(1) @Max(65535) @DefaultValue("3310") int port,
			@NotNull @DefaultValue("5s") Duration connectTimeout, @NotNull @DefaultValue("5m") Duration readTimeout,
			@NotNull @DefaultValue("100MB") DataSize maxScanSize) {

		@AssertTrue(message = "must be between 1 byte and 4GB - 1 (clamd's largest StreamMaxLength)")
		public boolean isMaxScanSize() {
			return this.maxScanSize == null
					|| (this.maxScanSize.toBytes() > 0 && this.maxScanSize.toBytes() < 4L * 1024 * 1024 * 1024);
		}

	}

	/**
	 * One source and where its files go.
	 *
	 * @param type {@code local} (directories of this machine), {@code sftp} or {@code s3}
	 * @param directories absolute directories to take files from (remote ones for SFTP);
	 * none for {@code s3}, whose prefix is {@code s3.prefix}
	 * @param pattern a glob on the file name ({@code *} any run of characters, {@code ?}
	 * one, {@code {a,b}} alternatives)
	 * @param recursive whether files in subdirectories are taken too (their key keeps the
	 * path relative to the directory)
	 * @param nameRegex a regular expression that the whole path relative to the directory
	 * (for {@code s3}: the key relative to the prefix) must match, e.g. seed 004's
	 * {@code <submission_guid>/<filename>}; a file that does not is rejected, with the
	 * reason in the ledger (unlike {@code pattern}, which passes over files silently);
	 * null for none
	 * @param minAge a file is taken once its modification time is at least this old, so
	 * that files still being written wait
	 * @param postAction what happens to a file at the source once the ledger says it is
	 * uploaded or quarantined: {@code keep}, {@code delete} or {@code move:<directory>}
	 * ({@code move:<prefix>} for {@code s3}), or for {@code s3} {@code tag} (the object
	 * is tagged {@code ferry-ingest=uploaded|quarantined})
	 * @param sftp the SFTP server, for {@code type=sftp}
	 * @param s3 the bucket and prefix whose objects are taken, for {@code type=s3}
	 * @param s3Encryption the server-side encryption of the copies that
	 * {@code move:<prefix>} makes in the source bucket, and what {@code bucket-check}
	 * expects of that bucket; null for none asked (the bucket's default applies)
	 * @param target where clean files are uploaded: key = prefix + path relative to the
	 * source directory
	 * @param encryption the server-side encryption every object asks for
	 * @param doneMarker whether an empty {@code <key>.done} object follows each file
	 * @param quarantineDir where infected and unscannable files go, each with a
	 * {@code <name>.report.json}, under a directory named after the source (mode 0700,
	 * files 0600); or null, with {@code quarantine-bucket} set
	 * @param quarantineBucket where infected and unscannable files go instead of
	 * {@code quarantine-dir}: under {@code <prefix>/<source>/}, each with a
	 * {@code <name>.report.json} ({@link BucketQuarantine})
	 * @param quarantineEncryption the server-side encryption of what is written to the
	 * quarantine bucket; null for {@code encryption}'s
	 * @param unscannable what happens to a file clamd could not scan whole:
	 * {@code quarantine}, or {@code pending} (it stays at the source and in the ledger as
	 * scanned, and waits until this is changed)
	 * @param expireDays the object expiry that {@code bucket-check} expects of the target
	 * @param notification the webhook told of every file quarantined as infected or
	 * unscannable ({@code notify.*}: {@code notify} is a name a record component cannot
	 * have)
	 * @param decompress what is unpacked before the verdict: {@code off}, {@code gz}
	 * ({@code x.gz} is scanned and uploaded unpacked, as {@code x}) or {@code zip}
	 * ({@code x.zip} is scanned entry by entry and uploaded as it is)
	 * ({@link Decompress})
	 * @param archive the limits of unpacking one file ({@code archive.max-size},
	 * {@code .max-ratio}, {@code .max-entries}, {@code .max-depth}); past any, the file
	 * is unscannable
	 * @param concurrency files in flight at once, each at its own stage (download, scan,
	 * upload): each holds a connection of the job repository's pool while a transition of
	 * it runs, an SFTP connection, and a staging file
	 */
	record Source(@NotNull SourceType type, @NotNull @DefaultValue List<String> directories,
			@NotBlank @DefaultValue("*") String pattern, @Nullable String nameRegex,
			@DefaultValue("false") boolean recursive, @NotNull @DefaultValue("1m") Duration minAge,
			@NotNull @Pattern(regexp = "keep|delete|tag|move:.+",
					message = "must be keep, delete, move:<directory or prefix> or tag") @DefaultValue("keep") String postAction,
			@Valid @Nullable Sftp sftp, @Valid @Nullable S3Location s3,
			@Valid @Nullable ServerSideEncryption s3Encryption, @Valid @NotNull S3Location target,
			@Valid @NotNull @DefaultValue ServerSideEncryption encryption, @DefaultValue("true") boolean doneMarker,
			@Nullable Path quarantineDir, @Valid @Nullable S3Location quarantineBucket,
			@Valid @Nullable ServerSideEncryption quarantineEncryption,
			@NotNull @DefaultValue("quarantine") Unscannable unscannable, @Min(1) @DefaultValue("14") int expireDays,
			@Valid @NotNull @DefaultValue @Name("notify") Notify notification,
			@NotNull @DefaultValue("off") Decompress decompress,
			@Valid @NotNull @DefaultValue @NestedConfigurationProperty ArchiveLimits archive,

			@Min(1) @Max(8) @DefaultValue("4") int concurrency) {

		@AssertTrue(message = "must be set (host, user, private-key-file, known-hosts-file) for type sftp")
		public boolean isSftp() {
			return this.type != SourceType.SFTP || this.sftp != null;
		}

		@AssertTrue(message = "must be absolute paths, without '..'; at least one for type local and sftp, none for"
				+ " type s3 (its prefix is s3.prefix)")
		public boolean isDirectories() {
			if (this.directories == null || this.type == null) {
				return true;
			}
			if (this.type == SourceType.S3) {
				return this.directories.isEmpty();
			}
			return !this.directories.isEmpty() && this.directories.stream()
				.allMatch(dir -> dir.startsWith("/") && !List.of(dir.split("/")).contains(".."));
		}

		@AssertTrue(message = "must be set (endpoint, bucket, prefix, credentials) for type s3, and only for it")
		public boolean isS3() {
			return (this.type == SourceType.S3) == (this.s3 != null);
		}

		@AssertTrue(message = "must be a valid regular expression")
		public boolean isNameRegex() {
			return this.nameRegex == null || S3Keys.validRegex(this.nameRegex);
		}

		@AssertTrue(message = "exactly one of quarantine-dir and quarantine-bucket must be set, and the bucket must"
				+ " not be under an s3 source's prefix (files quarantined there would be taken again)")
		public boolean isQuarantineBucket() {
			return (this.quarantineDir == null) != (this.quarantineBucket == null) && (this.quarantineBucket == null
					|| this.s3 == null || !S3Keys.overlaps(this.s3, this.quarantineBucket));
		}

		@AssertTrue(message = "must be an absolute path outside the source's directories (files quarantined there"
				+ " would be taken again)")
		public boolean isQuarantineDir() {
			return this.quarantineDir == null || this.directories == null || (this.quarantineDir.isAbsolute()
					&& (this.type != SourceType.LOCAL || !under(this.quarantineDir.toString())));
		}

		@AssertTrue(message = "move:<directory> must be absolute and not inside a source directory of a recursive"
				+ " source (moved files would be taken again); for type s3, move:<prefix> must not be s3.prefix, nor"
				+ " under it for a recursive source; tag is for type s3 only")
		public boolean isPostAction() {
			if (this.postAction == null || this.type == null) {
				return true;
			}
			if (this.postAction.equals("tag")) {
				return this.type == SourceType.S3;
			}
			String moveTo = moveDirectory();
			if (moveTo == null) {
				return true;
			}
			if (this.type == SourceType.S3) {
				String moved = S3Keys.prefix(moveTo);
				return this.s3 == null || this.s3.prefix() == null
						|| !(moved.equals(this.s3.key("")) || (this.recursive && S3Keys.under(moved, this.s3.key(""))));
			}
			return moveTo.startsWith("/") && (!this.recursive || !under(moveTo));
		}

		@AssertTrue(message = "must be a valid glob")
		public boolean isPattern() {
			return this.pattern == null || NameGlob.valid(this.pattern);
		}

		private boolean under(String path) {
			String normalized = Path.of(path).normalize().toString();
			return this.directories.stream()
				.map(dir -> Path.of(dir).normalize().toString())
				.anyMatch(dir -> normalized.equals(dir) || normalized.startsWith(dir.endsWith("/") ? dir : dir + "/"));
		}

		/** Whether the post-action tags the object ({@code tag}, type s3). */
		boolean tagsSource() {
			return "tag".equals(this.postAction);
		}

		/** The directory files are moved to, or null unless {@code move:<directory>}. */
		@Nullable String moveDirectory() {
			return this.postAction.startsWith("move:") ? this.postAction.substring("move:".length()) : null;
		}

	}

	/**
	 * An SFTP server, authenticated by key; its host key must be in the known_hosts file.
	 *
	 * @param host the server's host
	 * @param port its port
	 * @param user the user to log in as
	 * @param privateKeyFile the user's private key (OpenSSH format, unencrypted): a
	 * mounted secret file; never logged
	 * @param knownHostsFile a known_hosts file holding the server's host key (the
	 * operator's, from a trusted channel); an unknown or changed key is refused
	 * @param connectTimeout how long to wait for the connection and each answer
	 */
	record Sftp(@NotBlank String host, @Min(1) @Max(65535) @DefaultValue("22") int port, @NotBlank String user,
			@NotNull Path privateKeyFile, @NotNull Path knownHostsFile,
			@NotNull @DefaultValue("30s") Duration connectTimeout) {

	}

	/**
	 * The notification webhook of a source: a JSON POST for every file quarantined as
	 * infected or unscannable, retried, recorded in the ledger ({@code notified_at}).
	 *
	 * @param webhookUrl the {@code http} or {@code https} URL to POST to, or null for no
	 * notifications: a secret (it may carry a token in its path or query), from the
	 * environment or a mounted secret file; never logged (only its scheme, host and port
	 * are), so it is validated without its value ever being printed
	 * @param timeout how long to wait for a connection, and for the answer
	 * @param attempts how many times a notification is sent before the step fails
	 * (connection errors, 5xx and 429 are retried)
	 * @param backoff the wait after the first failed attempt, doubled after each further
	 * one
	 * @param maxBackoff the longest wait between two attempts
	 */
	record Notify(@Nullable String webhookUrl, @NotNull @DefaultValue("10s") Duration timeout,
			@Min(1) @Max(100) @DefaultValue("5") int attempts, @NotNull @DefaultValue("1s") Duration backoff,
			@NotNull @DefaultValue("30s") Duration maxBackoff) {

		@AssertTrue(message = "must be an absolute http or https URL with a host (the value is a secret and is not"
				+ " shown)")
		public boolean isWebhookUrl() {
			return this.webhookUrl == null || this.webhookUrl.isBlank() || Webhook.parse(this.webhookUrl) != null;
		}

		@AssertTrue(message = "must be positive")
		public boolean isTimeout() {
			return this.timeout == null || (!this.timeout.isNegative() && !this.timeout.isZero());
		}

		@AssertTrue(message = "must not be negative, nor more than max-backoff")
		public boolean isBackoff() {
			return this.backoff == null || this.maxBackoff == null
					|| (!this.backoff.isNegative() && this.backoff.compareTo(this.maxBackoff) <= 0);
		}

	}

	/** Where a source's files come from. */
	enum SourceType {

		/** Directories of the machine Ferry runs on (the SFTP server's own disk). */
		LOCAL,

		/** An SFTP server. */
		SFTP,

		/** A bucket and prefix of an S3-compatible store (seed 004). */
		S3

	}

	/** What happens to a file clamd could not scan whole. */
	enum Unscannable {

		/** Quarantined like an infected file, with a report that says why. */
		QUARANTINE,

		/** Left at the source; its ledger row waits as scanned. */
		PENDING

	}

}
