package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the crash tests of the mirror and of routed egress check in a killed run's and a
 * resumed run's output, and in the target bucket.
 */
final class CrashLog {

	private CrashLog() {
	}

	/** Parts of the open multipart uploads of a bucket. */
	static int uploadedParts(S3Client s3, String bucket) {
		return s3.listMultipartUploads(request -> request.bucket(bucket))
			.uploads()
			.stream()
			.mapToInt((MultipartUpload upload) -> s3
				.listParts(request -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()))
				.parts()
				.size())
			.sum();
	}

	/**
	 * Parts of the open multipart uploads of a bucket, by key (the parts of several
	 * uploads of one key added up).
	 */
	static Map<String, Integer> uploadedPartsByKey(S3Client s3, String bucket) {
		Map<String, Integer> parts = new TreeMap<>();
		for (MultipartUpload upload : s3.listMultipartUploads(request -> request.bucket(bucket)).uploads()) {
			int count = s3.listParts(request -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()))
				.parts()
				.size();
			parts.merge(upload.key(), count, Integer::sum);
		}
		return parts;
	}

	/**
	 * The parts each resumed upload had acknowledged, by target key, as the resumed run
	 * logs them ({@code `source` -> `target`: RESUMED multipart upload after n part(s)}).
	 */
	private static Map<String, Integer> resumedAfter(String resumed) {
		Map<String, Integer> after = new TreeMap<>();
		Matcher line = Pattern.compile("` -> `[^/`]+/([^`]+)`: RESUMED multipart upload after (\\d+) part")
			.matcher(resumed);
		while (line.find()) {
			after.put(line.group(1), Integer.parseInt(line.group(2)));
		}
		return after;
	}

	/**
	 * Every upload open at the kill was resumed by the rerun, from at most one part
	 * before the parts it held then: over both runs, each object's parts were sent at
	 * most once more than it has.
	 * @param partsAtKill the parts of each open upload at the kill, by target key
	 */
	static void assertResumedEachUpload(Map<String, Integer> partsAtKill, String resumed) {
		Map<String, Integer> resumedAfter = resumedAfter(resumed);
		assertThat(resumedAfter).as(resumed).containsOnlyKeys(partsAtKill.keySet());
		partsAtKill.forEach(
				(key, parts) -> assertThat(parts - resumedAfter.get(key)).as("parts of %s sent again by the rerun", key)
					.isBetween(0, 1));
	}

	/**
	 * The large object resumed its upload at most one part before where it was killed.
	 */
	static void assertResumedLargeObject(String resumed, int partsAtKill) {
		Matcher resumedAt = Pattern.compile("large.bin`: RESUMED multipart upload after (\\d+) part").matcher(resumed);
		assertThat(resumedAt.find()).as(resumed).isTrue();
		assertThat(Integer.parseInt(resumedAt.group(1))).isGreaterThanOrEqualTo(partsAtKill - 1);
	}

	/**
	 * Every object is logged as copied once over both runs (nothing committed was copied
	 * again), all of them, and at least some before the kill.
	 */
	static void assertEachCopiedOnce(String killed, String resumed, int objects, int atLeastBeforeKill) {
		List<String> copied = new ArrayList<>(copyLines(killed));
		copied.addAll(copyLines(resumed));
		assertThat(copied.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
			.allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1L));
		assertThat(copied).hasSize(objects);
		assertThat(copyLines(killed)).as("copied before the kill").hasSizeGreaterThanOrEqualTo(atLeastBeforeKill);
	}

	/**
	 * Every object is logged as written over both runs, and only the objects of the chunk
	 * that the kill cut off (at most {@code chunk} of them) twice: a write to a directory
	 * is not resumable within a chunk, and writes the same bytes again over itself.
	 */
	static void assertWrittenAgainAtMostOneChunk(String killed, String resumed, int objects, int chunk) {
		List<String> written = new ArrayList<>(copyLines(killed));
		written.addAll(copyLines(resumed));
		Map<String, Long> times = written.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(times).hasSize(objects).allSatisfy((key, count) -> assertThat(count).as(key).isBetween(1L, 2L));
		assertThat(written.size() - objects).as("objects written twice").isBetween(0, chunk);
	}

	private static List<String> copyLines(String output) {
		return output.lines()
			.filter(line -> line.contains("` -> `") && !line.contains("RESUMED"))
			.map(line -> line.substring(line.indexOf('`')))
			.toList();
	}

}
