package dev.ferry.mirror;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * s3-mirror end to end in one process, S3Proxy to S3Proxy: what is new, changed,
 * unchanged and extra; deletes and their caps; dry runs; bad input.
 */
@ExtendWith({ S3ProxyExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class MirrorJobTest {

	static final MirrorFixture fixture = new MirrorFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.mirror("plain")
		.mirror("prune", "remove-extra=true", "max-delete=2")
		.mirror("guard", "remove-extra=true", "max-delete=1000")
		.mirror("dry", "remove-extra=true", "dry-run=true")
		.mirror("nobucket")
		.mirror("filtered", "include=**.csv", "exclude=tmp/**", "remove-extra=true", "max-delete=100%")
		.mirror("skips", "skip-limit=2", "remove-extra=true", "max-delete=100%")
		.mirror("strict")
		.mirror("strictlarge", "concurrency=2")
		.mirror("several", "concurrency=3");

	@Autowired
	InProcessCli ferry;

	@Test
	void newAndChangedObjectsAreCopiedWithTheirHeadersAndUnchangedOnesAreNot(CapturedOutput log) {
		byte[] large = random(12 * 1024 * 1024 + 7, 1);
		fixture.putSource("plain", "a.txt", bytes("alpha"),
				b -> b.contentType("text/plain; charset=utf-8")
					.contentEncoding("identity")
					.cacheControl("max-age=60")
					.metadata(Map.of("owner", "team-a")));
		fixture.putSource("plain", "b.bin", bytes("same in both"));
		fixture.putSource("plain", "c.txt", bytes("hello"));
		fixture.putSource("plain", "dir/", new byte[0]);
		fixture.putSource("plain", "large.bin", large);
		fixture.putTarget("plain", "b.bin", bytes("same in both"));
		fixture.putTarget("plain", "c.txt", bytes("HELLO"));
		fixture.putTarget("plain", "extra.txt", bytes("only in the target"));

		InProcessCli.Result first = this.ferry.run("run", "s3Mirror", "mirror=plain", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err()).isZero();

		Map<String, byte[]> target = fixture.targetObjects("plain");
		assertThat(target).containsOnlyKeys("a.txt", "b.bin", "c.txt", "dir/", "large.bin", "extra.txt");
		fixture.sourceObjects("plain")
			.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));
		HeadObjectResponse head = fixture.target
			.headObject(r -> r.bucket(fixture.pair("plain").target()).key("copy/a.txt"));
		HeadObjectResponse sourceHead = fixture.source
			.headObject(r -> r.bucket(fixture.pair("plain").source()).key("src/a.txt"));
		// as the source store keeps it (S3Proxy drops the space)
		assertThat(head.contentType()).isEqualTo(sourceHead.contentType()).startsWith("text/plain;");
		assertThat(head.contentEncoding()).isEqualTo("identity");
		assertThat(head.cacheControl()).isEqualTo("max-age=60");
		assertThat(head.metadata()).containsEntry("owner", "team-a").containsKey("ferry-source-etag");
		HeadObjectResponse largeHead = fixture.target
			.headObject(r -> r.bucket(fixture.pair("plain").target()).key("copy/large.bin"));
		assertThat(largeHead.eTag()).as("copied as a multipart upload").contains("-3");

		String src = fixture.pair("plain").source();
		String tgt = fixture.pair("plain").target();
		String run1 = log.getOut();
		assertThat(run1).contains("`" + src + "/src/a.txt` -> `" + tgt + "/copy/a.txt`")
			.contains("`" + src + "/src/c.txt` -> `" + tgt + "/copy/c.txt`")
			.contains("`" + src + "/src/dir/` -> `" + tgt + "/copy/dir/`")
			.contains("`" + src + "/src/large.bin` -> `" + tgt + "/copy/large.bin`")
			.doesNotContain("/src/b.bin` ->")
			.contains("Mirror 'plain': 3 new, 1 changed, 1 unchanged, 1 extra, 0 deleted")
			.containsPattern("Total: 12\\.00 MiB, Transferred: 12\\.00 MiB, Speed: [0-9.]+ MiB/s");

		// a second run copies nothing: a multipart copy is unchanged by its recorded ETag
		int before = log.getOut().length();
		InProcessCli.Result second = this.ferry.run("run", "s3Mirror", "mirror=plain", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		String run2 = log.getOut().substring(before);
		assertThat(run2).doesNotContain("` -> `").contains("0 new, 0 changed, 5 unchanged, 1 extra");

		// the same size with other content is a change
		fixture.putSource("plain", "c.txt", bytes("jello"));
		before = log.getOut().length();
		InProcessCli.Result third = this.ferry.run("run", "s3Mirror", "mirror=plain", "runDate=2026-12-03");
		assertThat(third.exitCode()).as(third.err()).isZero();
		assertThat(log.getOut().substring(before)).contains("/src/c.txt` -> `")
			.contains("0 new, 1 changed, 4 unchanged");
		assertThat(fixture.targetObjects("plain").get("c.txt")).isEqualTo(bytes("jello"));
	}

	/**
	 * Consecutive large objects are copied several at once ({@code concurrency=3}: three,
	 * then the one left before a small object, then the last), each with its headers and
	 * the source ETag recorded as a single copy's.
	 */
	@Test
	void severalLargeObjectsAreCopiedAtOnceEachWithItsSourceETag(CapturedOutput log) {
		Map<String, byte[]> large = new java.util.TreeMap<>();
		large.put("big/1.bin", random(6 * 1024 * 1024 + 1, 11));
		large.put("big/2.bin", random(11 * 1024 * 1024, 12));
		large.put("big/3.bin", random(7 * 1024 * 1024, 13));
		large.put("big/4.bin", random(6 * 1024 * 1024 + 5, 14));
		large.put("z.bin", random(8 * 1024 * 1024, 15));
		fixture.putSource("several", "a.txt", bytes("alpha"));
		large.forEach((key, content) -> fixture.putSource("several", key, content,
				b -> b.contentType("application/x-test").metadata(Map.of("owner", key))));
		fixture.putSource("several", "m.txt", bytes("mike"));
		fixture.putTarget("several", "big/2.bin", bytes("an older version"));

		InProcessCli.Result first = this.ferry.run("run", "s3Mirror", "mirror=several", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err()).isZero();
		Map<String, byte[]> target = fixture.targetObjects("several");
		Map<String, byte[]> source = fixture.sourceObjects("several");
		assertThat(target.keySet()).containsExactlyElementsOf(source.keySet());
		source.forEach((key, content) -> assertThat(target.get(key)).as(key).isEqualTo(content));
		String src = fixture.pair("several").source();
		String tgt = fixture.pair("several").target();
		large.forEach((key, content) -> {
			HeadObjectResponse sourceHead = fixture.source.headObject(r -> r.bucket(src).key("src/" + key));
			HeadObjectResponse head = fixture.target.headObject(r -> r.bucket(tgt).key("copy/" + key));
			assertThat(head.eTag()).as(key + ": copied as a multipart upload").matches("\"?[0-9a-f]{32}-[23]\"?");
			assertThat(head.metadata()).as(key)
				.containsEntry("owner", key)
				.containsEntry("ferry-source-etag", ListedObject.unquote(sourceHead.eTag()));
			assertThat(head.contentType()).as(key).isEqualTo("application/x-test");
		});
		String run1 = log.getOut();
		assertThat(run1).contains("Mirror 'several': copying 3 large objects at once, big/1.bin to big/3.bin")
			.doesNotContain("big/4.bin to")
			.contains("Mirror 'several': 6 new, 1 changed, 0 unchanged, 0 extra, 0 deleted");
		large.keySet()
			.forEach(key -> assertThat(run1)
				.contains("`" + src + "/src/" + key + "` -> `" + tgt + "/copy/" + key + "`"));
		assertThat(fixture.target.listMultipartUploads(r -> r.bucket(tgt)).uploads()).isEmpty();

		// a second run finds every copy unchanged by its recorded ETag
		int before = log.getOut().length();
		InProcessCli.Result second = this.ferry.run("run", "s3Mirror", "mirror=several", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(log.getOut().substring(before)).doesNotContain("` -> `")
			.contains("Mirror 'several': 0 new, 0 changed, 7 unchanged");
	}

	@Test
	void extraObjectsAreDeletedOnlyWithinTheCapAndPastItNothingIsDeleted() {
		fixture.putSource("prune", "keep.txt", bytes("keep"));
		for (String extra : new String[] { "x1", "x2", "x3" }) {
			fixture.putTarget("prune", extra, bytes(extra));
		}
		InProcessCli.Result refused = this.ferry.run("run", "s3Mirror", "mirror=prune", "runDate=2026-12-01");
		assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.failure("prune")).contains("3 object(s) in s3://" + fixture.pair("prune").target()
				+ "/copy/ are not in the source and would be deleted, more than"
				+ " ferry.s3-mirror.mirrors.prune.max-delete allows (2); nothing was deleted");
		assertThat(fixture.targetObjects("prune")).containsOnlyKeys("keep.txt", "x1", "x2", "x3");

		// an operator removes one by hand; the same run, resumed, deletes the other two
		fixture.target.deleteObject(r -> r.bucket(fixture.pair("prune").target()).key("copy/x3"));
		InProcessCli.Result resumed = this.ferry.run("run", "s3Mirror", "mirror=prune", "runDate=2026-12-01");
		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		assertThat(fixture.targetObjects("prune")).containsOnlyKeys("keep.txt");
		assertThat(fixture.repositoryJdbc.queryForList(
				"SELECT step || ':' || status FROM ferry_step_history WHERE execution_id IN (SELECT execution_id"
						+ " FROM ferry_job_history WHERE parameters LIKE '%prune%') ORDER BY step_execution_id",
				String.class))
			.containsExactly("checkMirror:COMPLETED", "copyObjects:COMPLETED", "removeExtra:FAILED",
					"checkMirror:COMPLETED", "removeExtra:COMPLETED");
	}

	@Test
	void aSourceThatListsEmptyNeverWipesTheTarget() {
		fixture.putTarget("guard", "precious.csv", bytes("do not lose"));
		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=guard", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.failure("guard")).contains("lists no object, so all 1 object(s)")
			.contains("ferry.s3-mirror.mirrors.guard.max-delete=100%");
		assertThat(fixture.targetObjects("guard")).containsOnlyKeys("precious.csv");
	}

	@Test
	void aDryRunListsWhatItWouldDoAndWritesNothing(CapturedOutput log) {
		fixture.putSource("dry", "new.txt", bytes("new"));
		fixture.putSource("dry", "big.bin", random(6 * 1024 * 1024, 2));
		fixture.putTarget("dry", "old.txt", bytes("old"));
		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=dry", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(fixture.targetObjects("dry")).containsOnlyKeys("old.txt");
		assertThat(fixture.target.listMultipartUploads(r -> r.bucket(fixture.pair("dry").target())).uploads())
			.isEmpty();
		String tgt = fixture.pair("dry").target();
		assertThat(log.getOut())
			.contains("Would copy (new, 0.00 MiB) `" + fixture.pair("dry").source() + "/src/new.txt` -> `" + tgt
					+ "/copy/new.txt`")
			.contains("/src/big.bin` -> `" + tgt + "/copy/big.bin`")
			.contains("Would remove `" + tgt + "/copy/old.txt`")
			.contains("Mirror 'dry' (dry run, nothing written): 2 new")
			.contains("Transferred: 0.00 MiB");
	}

	@Test
	void globsChooseWhatIsCopiedAndWhatMayBeDeleted() {
		fixture.putSource("filtered", "day/a.csv", bytes("a"));
		fixture.putSource("filtered", "day/a.json", bytes("{}"));
		fixture.putSource("filtered", "tmp/b.csv", bytes("b"));
		fixture.putTarget("filtered", "old.csv", bytes("old"));
		fixture.putTarget("filtered", "notes.txt", bytes("not ours"));
		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=filtered", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(fixture.targetObjects("filtered")).containsOnlyKeys("day/a.csv", "notes.txt");
	}

	@Test
	void anUnknownMirrorIsAUsageErrorAndNothingRuns() {
		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=nope", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(result.err()).contains("no mirror 'nope' is configured (ferry.s3-mirror.mirrors.nope.*)")
			.contains(
					"configured: [dry, filtered, guard, nobucket, plain, prune, several, skips, strict, strictlarge]");
	}

	@Test
	void aMissingBucketFailsBeforeAnyCopyAndNamesTheProperty() {
		fixture.putSource("nobucket", "a.txt", bytes("a"));
		fixture.targetEndpoint.deleteBucket(fixture.pair("nobucket").target());
		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=nobucket", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.failure("nobucket")).contains("The bucket '" + fixture.pair("nobucket").target() + "' at "
				+ fixture.targetEndpoint.uri() + " does not exist (ferry.s3-mirror.mirrors.nobucket.target.bucket)");
	}

	/**
	 * The target refuses {@code x/...}: S3Proxy keeps objects as files, and
	 * {@code copy/x} is a file already, so no {@code copy/x/} directory can hold a copy
	 * (a 500 every time). Within the skip limit the run completes past both refused
	 * objects (a small one and a multipart one, copied at once with another multipart one
	 * that succeeds), records each, copies the rest and deletes nothing; once the
	 * blocking object is gone, the next run copies them and deletes the extras.
	 */
	@Test
	void withinTheSkipLimitAFailingObjectIsSkippedRecordedAndTheRestIsMirrored(CapturedOutput log) {
		byte[] big = random(6 * 1024 * 1024 + 3, 3);
		byte[] fine = random(6 * 1024 * 1024 + 9, 4);
		fixture.putSource("skips", "a.txt", bytes("alpha"));
		fixture.putSource("skips", "w.bin", fine);
		fixture.putSource("skips", "x/big.bin", big);
		fixture.putSource("skips", "x/y.txt", bytes("refused"));
		fixture.putSource("skips", "z.txt", bytes("zulu"));
		fixture.putTarget("skips", "x", bytes("blocks the folder x/"));
		fixture.putTarget("skips", "old.txt", bytes("extra"));

		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=skips", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();
		Map<String, byte[]> target = fixture.targetObjects("skips");
		assertThat(target).as("the rest is mirrored, and nothing is deleted after a run that skipped")
			.containsOnlyKeys("a.txt", "w.bin", "z.txt", "x", "old.txt");
		assertThat(target.get("z.txt")).isEqualTo(bytes("zulu"));
		assertThat(target.get("w.bin")).isEqualTo(fine);
		String src = fixture.pair("skips").source();
		String tgt = fixture.pair("skips").target();
		assertThat(fixture.repositoryJdbc
			.queryForList("SELECT k.source_bucket || '/' || k.source_key || ' -> ' || k.destination || ' ' || k.size"
					+ " || ' ' || k.step_name || ' ' || k.configuration_name FROM ferry_skipped_object k"
					+ " JOIN ferry_job_history h ON h.execution_id = k.job_execution_id"
					+ " WHERE h.parameters LIKE '%skips%' ORDER BY k.source_key", String.class))
			.containsExactly(
					src + "/src/x/big.bin -> s3://" + tgt + "/copy/x/big.bin " + big.length + " copyObjects skips",
					src + "/src/x/y.txt -> s3://" + tgt + "/copy/x/y.txt 7 copyObjects skips");
		assertThat(fixture.repositoryJdbc
			.queryForList("SELECT status || ' ' || exit_code || ' ' || skip_count FROM ferry_job_history"
					+ " WHERE parameters LIKE '%skips%'", String.class))
			.containsExactly("COMPLETED COMPLETED_WITH_SKIPS 2");
		assertThat(
				fixture.repositoryJdbc.queryForList(
						"SELECT reason FROM ferry_skipped_object k JOIN ferry_job_history h"
								+ " ON h.execution_id = k.job_execution_id WHERE h.parameters LIKE '%skips%'",
						String.class))
			.hasSize(2)
			.allSatisfy(reason -> assertThat(reason).contains("/copy/x/"));
		assertThat(fixture.target.listMultipartUploads(r -> r.bucket(tgt)).uploads()).isEmpty();
		assertThat(log.getOut())
			.contains("Mirror 'skips': skipped `" + src + "/src/x/y.txt` -> `" + tgt
					+ "/copy/x/y.txt` (ferry.s3-mirror.mirrors.skips.skip-limit is 2)")
			.contains("Mirror 'skips': skipped `" + src + "/src/x/big.bin` -> `" + tgt + "/copy/x/big.bin`")
			.contains("2 object(s) were skipped, so the 2 extra object(s) in the target are kept")
			.contains("Mirror 'skips': copying 2 large objects at once, w.bin to x/big.bin")
			.contains("Mirror 'skips': 3 new, 0 changed, 0 unchanged, 2 extra, 0 deleted, 0 vanished, 0 failed,"
					+ " 2 skipped");

		// the next run tries them again: with the obstacle gone they are copied, and the
		// extras deleted
		fixture.target.deleteObject(r -> r.bucket(tgt).key("copy/x"));
		InProcessCli.Result next = this.ferry.run("run", "s3Mirror", "mirror=skips", "runDate=2026-12-02");
		assertThat(next.exitCode()).as(next.err()).isZero();
		assertThat(fixture.targetObjects("skips")).containsOnlyKeys("a.txt", "w.bin", "x/big.bin", "x/y.txt", "z.txt");
		assertThat(fixture.targetObjects("skips").get("x/big.bin")).isEqualTo(big);
		assertThat(fixture.repositoryJdbc.queryForObject(
				"SELECT exit_code FROM ferry_job_history WHERE parameters LIKE '%skips%2026-12-02%'", String.class))
			.isEqualTo("COMPLETED");
		// what an operator asks with psql: the skipped objects, and the clean run since
		String query = fixture.query("skipped-objects.sql", "mirror=skips");
		assertThat(query).contains("src/x/y.txt")
			.contains("src/x/big.bin")
			.contains("COMPLETED_WITH_SKIPS")
			.contains("(2 rows)");
		Long cleanRun = fixture.repositoryJdbc.queryForObject(
				"SELECT execution_id FROM ferry_job_history WHERE parameters LIKE '%skips%2026-12-02%'", Long.class);
		assertThat(query).containsPattern("\\| +" + cleanRun + "\\s*\\n");
	}

	@Test
	void withoutASkipLimitAFailingObjectFailsTheJobNamingItAndNothingIsSkipped() {
		fixture.putSource("strict", "a.txt", bytes("alpha"));
		fixture.putSource("strict", "x/y.txt", bytes("refused"));
		fixture.putTarget("strict", "x", bytes("blocks the folder x/"));
		InProcessCli.Result result = this.ferry.run("run", "s3Mirror", "mirror=strict", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED.code());
		String src = fixture.pair("strict").source();
		String tgt = fixture.pair("strict").target();
		assertThat(fixture.failure("strict"))
			.contains("Mirror 'strict': 1 object(s) failed after 3 attempts: `" + src + "/src/x/y.txt` -> `" + tgt
					+ "/copy/x/y.txt` (ferry.s3-mirror.mirrors.strict.skip-limit is 0: no object may be skipped)");
		assertThat(skippedObjects("strict")).isZero();
		assertThat(fixture.targetObjects("strict")).doesNotContainKey("x/y.txt");
	}

	/**
	 * Two large objects copied at once, one of which the target refuses, without a skip
	 * limit: the job fails naming it, after the other's call; nothing is skipped, and
	 * once the target takes it again a rerun completes the mirror and leaves no upload
	 * open.
	 */
	@Test
	void withoutASkipLimitAFailingLargeObjectFailsItsBatchAndARerunCompletesIt() {
		byte[] fine = random(6 * 1024 * 1024 + 5, 11);
		byte[] big = random(6 * 1024 * 1024 + 7, 12);
		fixture.putSource("strictlarge", "w.bin", fine);
		fixture.putSource("strictlarge", "x/big.bin", big);
		fixture.putTarget("strictlarge", "x", bytes("blocks the folder x/"));
		InProcessCli.Result failed = this.ferry.run("run", "s3Mirror", "mirror=strictlarge", "runDate=2026-12-01");
		assertThat(failed.exitCode()).isEqualTo(ExitCode.FAILED.code());
		String src = fixture.pair("strictlarge").source();
		String tgt = fixture.pair("strictlarge").target();
		assertThat(fixture.failure("strictlarge"))
			.contains("Mirror 'strictlarge': 1 object(s) failed after 3 attempts: `" + src + "/src/x/big.bin` -> `"
					+ tgt + "/copy/x/big.bin`");
		assertThat(skippedObjects("strictlarge")).isZero();
		assertThat(fixture.targetObjects("strictlarge")).doesNotContainKey("x/big.bin");

		fixture.target.deleteObject(request -> request.bucket(tgt).key(MirrorFixture.TARGET_PREFIX + "/x"));
		InProcessCli.Result rerun = this.ferry.run("run", "s3Mirror", "mirror=strictlarge", "runDate=2026-12-01");
		assertThat(rerun.exitCode()).as(rerun.err()).isZero();
		assertThat(fixture.targetObjects("strictlarge")).containsOnlyKeys("w.bin", "x/big.bin");
		assertThat(fixture.targetObjects("strictlarge").get("w.bin")).isEqualTo(fine);
		assertThat(fixture.targetObjects("strictlarge").get("x/big.bin")).isEqualTo(big);
		assertThat(CrashLog.uploadedParts(fixture.target, tgt)).as("parts of open uploads").isZero();
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** The skipped objects recorded for the runs of a mirror. */
	private static int skippedObjects(String mirror) {
		return fixture.repositoryJdbc.queryForObject(
				"SELECT count(*) FROM ferry_skipped_object k"
						+ " JOIN ferry_job_history h ON h.execution_id = k.job_execution_id WHERE h.parameters LIKE ?",
				Integer.class, "%" + mirror + "%");
	}

}
