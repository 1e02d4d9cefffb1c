package dev.ferry.tabledump;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.ServerSideEncryption;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the table-dump job ({@code ferry.table-dump.*}).
 *
 * @param source the database whose tables are dumped (not the job repository's)
 * @param target where the dumps go: {@code <prefix>/<runDate>/<table>.csv.gz}
 * @param encryption the server-side encryption every object asks for
 * @param parallelism how many tables are dumped at once
 * @param partSize the compressed size at which a multipart part is cut; S3 needs at least
 * 5 MiB, and each table in flight holds about this much in memory
 * @param compressionLevel the gzip level, 1 (fastest) to 9 (smallest)
 * @param deflate which deflate implementation compresses: {@code auto} (libdeflate when
 * installed, else zlib), {@code libdeflate} (refuse to start without it) or {@code zlib}
 * @param pipelineSuccessFlag whether to write {@code pipeline_success.flag} after the
 * manifest, for the routed egress of s3-mirror
 * @param expireDays the object expiry that {@code bucket-check} expects and
 * {@code bucket-setup} applies
 */
@Validated
@ConfigurationProperties("ferry.table-dump")
record TableDumpProperties(@Valid @NotNull Source source,
		@Valid @NotNull @NestedConfigurationProperty S3Location target,
		@Valid @NotNull @DefaultValue @NestedConfigurationProperty ServerSideEncryption encryption,
		@Min(1) @Max(64) @DefaultValue("4") int parallelism, @NotNull @DefaultValue("8MB") DataSize partSize,
		@Min(1) @Max(9) @DefaultValue("6") int compressionLevel, @NotNull @DefaultValue("auto") DeflateEngine deflate,
		@DefaultValue("false") boolean pipelineSuccessFlag, @Min(1) @DefaultValue("14") int expireDays) {

	static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

	static final DataSize MAX_PART_SIZE = DataSize.ofMegabytes(512);

	public TableDumpProperties {
		if (partSize != null && (partSize.compareTo(MIN_PART_SIZE) < 0 || partSize.compareTo(MAX_PART_SIZE) > 0)) {
			throw new IllegalArgumentException("ferry.table-dump.part-size must be between 5MB (the S3 minimum) and"
					+ " 512MB (each table in flight holds one part in memory), not " + partSize);
		}
	}

	/**
	 * The source database. The password comes from the environment or a mounted file.
	 *
	 * @param url the JDBC URL, {@code jdbc:postgresql://host:port/database}
	 * @param username a user with SELECT on the dumped tables (read-only is enough)
	 * @param password its password
	 */
	public record Source(@NotBlank String url, @Nullable String username, @Nullable String password) {

		@AssertTrue(message = "url must be a PostgreSQL JDBC URL: jdbc:postgresql://host:port/database")
		public boolean isPostgresUrl() {
			return this.url == null || this.url.startsWith("jdbc:postgresql:");
		}

		@Override
		public String toString() {
			return "Source[url=" + this.url + ", username=" + this.username + ", password="
					+ ((this.password == null) ? "<none>" : "<hidden>") + "]";
		}

	}

}
