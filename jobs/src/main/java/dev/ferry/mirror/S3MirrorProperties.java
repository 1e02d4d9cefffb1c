package dev.ferry.mirror;

import java.util.List;
import java.util.Map;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.ServerSideEncryption;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the s3-mirror job ({@code ferry.s3-mirror.*}): the configured mirrors, by
 * name. The job parameter {@code mirror} picks one.
 *
 * @param mirrors the mirrors, by name (lower case letters, digits and dashes: names also
 * come from environment variables, which Spring reads in lower case)
 */
@Validated
@ConfigurationProperties("ferry.s3-mirror")
record S3MirrorProperties(@DefaultValue Map<String, @Valid Mirror> mirrors) {

	static final String PREFIX = "ferry.s3-mirror.mirrors";

	/** The configuration prefix of one mirror, for messages. */
	static String property(String mirror) {
		return PREFIX + "." + mirror;
	}

	/**
	 * One source-to-target pair.
	 *
	 * @param source where objects are read (AWS S3 in production)
	 * @param target where they are written (Ceph RGW in production)
	 * @param encryption the server-side encryption every object written asks for
	 * @param removeExtra whether target objects that the source does not have are
	 * deleted, after a copy without errors
	 * @param maxDelete the most objects one run deletes: a count ({@code 500}) or a
	 * percentage of the target's objects ({@code 10%}); past it the run fails before
	 * deleting anything
	 * @param dryRun list what would be copied and deleted, and write nothing
	 * @param include glob patterns on the key relative to the source prefix ({@code *}
	 * within a path segment, {@code **} across, {@code ?} one character); empty: every
	 * key
	 * @param exclude glob patterns of keys left alone (neither copied nor deleted)
	 * @param concurrency objects copied at once: small ones in a chunk, and large ones
	 * (above {@code multipartThreshold}) in a batch of consecutive ones
	 * @param partSize the size of a multipart part (5MB to 512MB): what a restart sends
	 * again at most per object; parts stream from the source, so it costs no memory
	 * @param multipartThreshold objects above this size are copied as a multipart upload,
	 * resumable by part; smaller ones stream in one PUT
	 * @param chunkKeys source keys per chunk (one commit of the checkpoint)
	 * @param chunkSize bytes to copy per chunk: a chunk ends at whichever comes first
	 * @param expireDays the object expiry that {@code bucket-check} expects of the target
	 * and {@code bucket-setup} applies
	 * @param skipLimit how many objects that failed every attempt a run may skip (each
	 * recorded in {@code ferry_skipped_object} and logged) and still complete, with exit
	 * code {@code COMPLETED_WITH_SKIPS} and no deletes; 0: the first such object fails
	 * the run. Counted over a job instance, restarts included
	 */
	record Mirror(@Valid @NotNull S3Location source, @Valid @NotNull S3Location target,
			@Valid @NotNull @DefaultValue ServerSideEncryption encryption, @DefaultValue("false") boolean removeExtra,
			@NotNull @Pattern(regexp = "[0-9]+%?",
					message = "must be a count (500) or a percentage (10%)") @DefaultValue("10%") String maxDelete,
			@DefaultValue("false") boolean dryRun, @DefaultValue List<String> include,
			@DefaultValue List<String> exclude, @Min(1) @Max(64) @DefaultValue("8") int concurrency,
			@NotNull @DefaultValue("16MB") DataSize partSize,
			@NotNull @DefaultValue("16MB") DataSize multipartThreshold,
			@Min(1) @Max(10000) @DefaultValue("1000") int chunkKeys, @NotNull @DefaultValue("256MB") DataSize chunkSize,
			@Min(1) @DefaultValue("14") int expireDays, @Min(0) @DefaultValue("0") int skipLimit) {

		static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

		static final DataSize MAX_PART_SIZE = DataSize.ofMegabytes(512);

		@AssertTrue(message = "must be between 5MB (the S3 minimum) and 512MB (each large object in flight holds one"
				+ " part in memory)")
		public boolean isPartSize() {
			return this.partSize == null
					|| (this.partSize.compareTo(MIN_PART_SIZE) >= 0 && this.partSize.compareTo(MAX_PART_SIZE) <= 0);
		}

		@AssertTrue(message = "must not be above 5GB, the largest object S3 takes in one PUT")
		public boolean isMultipartThreshold() {
			return this.multipartThreshold == null || this.multipartThreshold.compareTo(DataSize.ofGigabytes(5)) <= 0;
		}

		@AssertTrue(message = "a percentage must be at most 100%")
		public boolean isMaxDelete() {
			return this.maxDelete == null || !this.maxDelete.matches("[0-9]+%")
					|| DeleteCap.parse(this.maxDelete).valid();
		}

		/**
		 * Named {@code target} so that the message points at the property to fix: a
		 * target inside the source (or the source inside the target) would copy the
		 * mirror into itself, and deletes would remove source objects.
		 */
		@AssertTrue(message = "must not be the source or overlap it (same endpoint and bucket, and one prefix inside"
				+ " the other): set another bucket or a prefix outside the source's")
		public boolean isTarget() {
			return this.source == null || this.target == null || !Overlap.of(this.source, this.target);
		}

		@AssertTrue(message = "must be valid glob patterns")
		public boolean isInclude() {
			return KeyFilter.valid(this.include) && KeyFilter.valid(this.exclude);
		}

		DeleteCap deleteCap() {
			return DeleteCap.parse(this.maxDelete);
		}

	}

}
