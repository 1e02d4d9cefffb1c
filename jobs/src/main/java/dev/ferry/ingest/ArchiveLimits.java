package dev.ferry.ingest;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The limits of unpacking one file ({@code ferry.ingest.sources.<name>.archive.*}). Every
 * figure is measured on the bytes as they are unpacked, never taken from an archive's
 * headers (which a hostile archive sets as it likes); a file past any of them is
 * unscannable, never clean.
 *
 * @param maxSize the most bytes unpacked from one file, over all its entries and nested
 * archives (an unpacked {@code .gz} is also bound by {@code scanner.max-scan-size}, and
 * so is each zip entry: clamd must see it whole)
 * @param maxRatio the most bytes unpacked per byte of the file as downloaded; judged once
 * more than {@value UnpackBudget#RATIO_FLOOR} bytes are unpacked, so that small, very
 * compressible files pass
 * @param maxEntries the most entries of one zip file, over all its nested archives
 * (directories count)
 * @param maxDepth how deep archives may nest, the file itself being depth 1: {@code 3}
 * allows a zip in a zip in the file
 */
record ArchiveLimits(@NotNull @DefaultValue("1GB") DataSize maxSize, @Min(1) @DefaultValue("100") int maxRatio,
		@Min(1) @DefaultValue("10000") int maxEntries, @Min(1) @Max(16) @DefaultValue("3") int maxDepth) {

	@AssertTrue(message = "must be at least 1 byte")
	public boolean isMaxSize() {
		return this.maxSize == null || this.maxSize.toBytes() > 0;
	}

}
