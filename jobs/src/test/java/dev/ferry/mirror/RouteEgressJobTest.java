package dev.ferry.mirror;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.ferry.run.ExitCode;
import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.S3ProxyExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.ferry.mirror.MirrorJobTest.bytes;
import static dev.ferry.mirror.MirrorJobTest.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routed egress end to end in one process, S3Proxy to S3Proxy and to a directory: a flag
 * sends its folder once, a second run sends nothing, a flag written again sends again;
 * directories get whole files only; flags without a route are left alone; a table-dump
 * with its flag is sent whole; bad routes fail before anything is sent.
 */
@ExtendWith({ S3ProxyExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class RouteEgressJobTest {

	static final PostgresDatabase dumpSource = EmbeddedPostgresServer.shared().newDatabase();

	static final EgressFixture fixture = new EgressFixture(S3ProxyExtension.source(), S3ProxyExtension.target())
		.source("once")
		.source("dir")
		.source("unrouted")
		.source("dump")
		.source("bad");

	static {
		fixture.settings()
			.database("ferry.table-dump.source", dumpSource)
			.s3Location("ferry.table-dump.target", fixture.sourceEndpoint, fixture.bucket("dump"))
			.set("ferry.table-dump.target.prefix", "exports")
			.set("ferry.table-dump.encryption.algorithm", "NONE")
			.set("ferry.table-dump.pipeline-success-flag", "true");
	}

	@Autowired
	InProcessCli ferry;

	@Test
	void aFlagSendsItsFolderOnceASecondRunNothingAndAFlagWrittenAgainSendsItAgain(CapturedOutput log) {
		String destination = fixture.targetEndpoint.createBucket("eg-out");
		route("--source-bucket", fixture.bucket("once"), "--source-prefix", "daily", "--pipeline", "daily-s3", "--type",
				"S3", "--destination-endpoint", EgressFixture.TARGET, "--destination-bucket", destination,
				"--destination-prefix", "in", "--recipient", "team-a");
		byte[] large = random(11 * 1024 * 1024 + 3, 7);
		fixture.put("once", "daily/2026-12-01/a.csv", bytes("a,b\n1,2\n"));
		fixture.put("once", "daily/2026-12-01/sub/large.bin", large);
		fixture.put("once", "daily/2026-12-01/z.txt", bytes("last"));
		fixture.flag("once", "daily/2026-12-01/");
		fixture.put("once", "daily/2026-12-02/early.csv", bytes("no flag yet"));

		InProcessCli.Result first = this.ferry.run("run", "s3Egress", "source=once", "runDate=2026-12-01");
		assertThat(first.exitCode()).as(first.err()).isZero();
		Map<String, byte[]> sent = fixture.targetObjects(destination, "in");
		assertThat(sent).containsOnlyKeys("2026-12-01/a.csv", "2026-12-01/sub/large.bin", "2026-12-01/z.txt",
				"2026-12-01/pipeline_success.flag");
		assertThat(sent.get("2026-12-01/sub/large.bin")).isEqualTo(large);
		assertThat(sent.get("2026-12-01/a.csv")).isEqualTo(bytes("a,b\n1,2\n"));
		assertThat(fixture.transfers("daily-s3"))
			.containsExactly("TRANSFERRED:daily/2026-12-01/pipeline_success.flag:4");
		String src = fixture.bucket("once");
		assertThat(log.getOut())
			.contains("`" + src + "/daily/2026-12-01/a.csv` -> `" + destination + "/in/2026-12-01/a.csv`")
			.contains("sent 4 object(s)");
		// the flag goes last: the destination holds a flag only once its folder is there
		String out = log.getOut();
		assertThat(out.indexOf("2026-12-01/pipeline_success.flag` -> `")).isGreaterThan(out.indexOf("/z.txt` -> `"));

		int before = log.getOut().length();
		InProcessCli.Result second = this.ferry.run("run", "s3Egress", "source=once", "runDate=2026-12-02");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(log.getOut().substring(before)).doesNotContain("` -> `")
			.contains("0 flag(s) to send, 1 sent before");
		assertThat(fixture.transfers("daily-s3")).hasSize(1);

		// the pipeline runs again: the same folder, a changed object, the flag written
		// again
		// S3 dates objects to the second: a flag written in the same second would look
		// the
		// same
		Instant firstFlag = fixture.source
			.headObject(request -> request.bucket(fixture.bucket("once")).key("daily/2026-12-01/pipeline_success.flag"))
			.lastModified();
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> Instant.now().getEpochSecond() > firstFlag.getEpochSecond());
		fixture.put("once", "daily/2026-12-01/z.txt", bytes("LAST"));
		fixture.flag("once", "daily/2026-12-01/");
		before = log.getOut().length();
		InProcessCli.Result third = this.ferry.run("run", "s3Egress", "source=once", "runDate=2026-12-03");
		assertThat(third.exitCode()).as(third.err()).isZero();
		assertThat(log.getOut().substring(before)).contains("/z.txt` -> `").contains("1 flag(s) to send");
		assertThat(fixture.targetObjects(destination, "in").get("2026-12-01/z.txt")).isEqualTo(bytes("LAST"));
		assertThat(fixture.transfers("daily-s3")).containsExactly(
				"TRANSFERRED:daily/2026-12-01/pipeline_success.flag:4",
				"TRANSFERRED:daily/2026-12-01/pipeline_success.flag:4");
	}

	@Test
	void aDirectoryRouteWritesWholeFilesByteForByteAndLeavesNoPartFiles() {
		route("--source-bucket", fixture.bucket("dir"), "--source-prefix", "out/", "--pipeline", "sas#sft", "--type",
				"SFT", "--directory", "sft/sas");
		byte[] large = random(7 * 1024 * 1024, 3);
		fixture.put("dir", "out/run-1/report.csv", bytes("x,y\n"));
		fixture.put("dir", "out/run-1/deep/er/blob.bin", large);
		fixture.put("dir", "out/run-1/empty.txt", new byte[0]);
		fixture.flag("dir", "out/run-1/");

		InProcessCli.Result result = this.ferry.run("run", "s3Egress", "source=dir", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();
		Map<String, byte[]> files = fixture.files("sft/sas");
		assertThat(files).containsOnlyKeys("run-1/report.csv", "run-1/deep/er/blob.bin", "run-1/empty.txt",
				"run-1/pipeline_success.flag");
		assertThat(files.get("run-1/deep/er/blob.bin")).isEqualTo(large);
		assertThat(files.get("run-1/report.csv")).isEqualTo(bytes("x,y\n"));
		assertThat(files.get("run-1/empty.txt")).isEmpty();
		assertThat(fixture.transfers("sas#sft")).containsExactly("TRANSFERRED:out/run-1/pipeline_success.flag:4");
		assertThat(fixture.repositoryJdbc.queryForObject(
				"SELECT destination FROM ferry_route_transfer WHERE pipeline_name = 'sas#sft'", String.class))
			.isEqualTo(fixture.root.resolve("sft/sas/run-1/").toString());
		assertThat(fixture.query("route-transfers.sql")).containsPattern(
				"\\| out/ +\\| sas#sft +\\| +\\| out/run-1/pipeline_success.flag +\\|.*\\| +4 \\|.*\\| TRANSFERRED +\\|");
	}

	@Test
	void aFlagUnderNoRouteIsLoggedAndLeftAlone(CapturedOutput log) {
		route("--source-bucket", fixture.bucket("unrouted"), "--source-prefix", "routed", "--pipeline", "p", "--type",
				"DIRECTORY", "--directory", "unrouted");
		fixture.put("unrouted", "elsewhere/2026/a.txt", bytes("a"));
		fixture.flag("unrouted", "elsewhere/2026/");
		InProcessCli.Result result = this.ferry.run("run", "s3Egress", "source=unrouted", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(log.getOut())
			.contains("No route for the flag `" + fixture.bucket("unrouted") + "/elsewhere/2026/pipeline_success.flag`")
			.contains("0 flag(s) to send, 0 sent before, 1 without a route");
		assertThat(fixture.files("unrouted")).isEmpty();
		assertThat(fixture.transfers("p")).isEmpty();
		assertThat(fixture.sourceObjects("unrouted", "elsewhere")).containsOnlyKeys("2026/a.txt",
				"2026/pipeline_success.flag");
	}

	@Test
	void aTableDumpWithItsFlagIsSentWholeManifestIncluded() {
		new JdbcTemplate(dumpSource.dataSource()).execute("""
				CREATE TABLE public.customers (id int PRIMARY KEY, name text);
				INSERT INTO public.customers VALUES (1, 'Ada'), (2, 'Grace');
				""");
		String destination = fixture.targetEndpoint.createBucket("eg-dumps");
		route("--source-bucket", fixture.bucket("dump"), "--source-prefix", "exports/", "--pipeline", "dumps", "--type",
				"S3", "--destination-endpoint", EgressFixture.TARGET, "--destination-bucket", destination);
		InProcessCli.Result dump = this.ferry.run("run", "tableDump", "runDate=2026-11-30", "tables=public.customers");
		assertThat(dump.exitCode()).as(dump.err()).isZero();

		InProcessCli.Result egress = this.ferry.run("run", "s3Egress", "source=dump", "runDate=2026-11-30");
		assertThat(egress.exitCode()).as(egress.err()).isZero();
		Map<String, byte[]> dumped = fixture.sourceObjects("dump", "exports");
		Map<String, byte[]> sent = MirrorFixture.objects(fixture.target, destination, "2026-11-30");
		assertThat(dumped.keySet()).anyMatch(key -> key.matches("2026-11-30/manifest-[0-9]+\\.json"))
			.contains("2026-11-30/public.customers.csv.gz", "2026-11-30/pipeline_success.flag");
		assertThat(sent).hasSameSizeAs(dumped);
		dumped.forEach((key, content) -> assertThat(sent.get(key.substring("2026-11-30/".length()))).as(key)
			.isEqualTo(content));
	}

	@Test
	void badRoutesFailBeforeAnythingIsSentAndSayWhatToFix() throws Exception {
		fixture.put("bad", "x/a.txt", bytes("a"));
		fixture.flag("bad", "x/");
		route("--source-bucket", fixture.bucket("bad"), "--source-prefix", "x", "--pipeline", "nobucket", "--type",
				"S3", "--destination-endpoint", EgressFixture.TARGET, "--destination-bucket", "no-such-bucket-eg");
		InProcessCli.Result missing = this.ferry.run("run", "s3Egress", "source=bad", "runDate=2026-12-01");
		assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.failure("runDate=2026-12-01 source=bad")).contains("route 'nobucket' (s3://"
				+ fixture.bucket("bad") + "/x/): the destination bucket 'no-such-bucket-eg' at "
				+ fixture.targetEndpoint.uri() + " does not exist. Nothing was sent");
		assertThat(fixture.transfers("nobucket")).isEmpty();
		assertThat(this.ferry
			.run("routes", "remove", "--source-bucket", fixture.bucket("bad"), "--source-prefix", "x", "--pipeline",
					"nobucket")
			.exitCode()).isZero();

		// a file where the route's directory should be: nothing can be written there,
		// root or not
		Path locked = fixture.root.resolve("locked");
		Files.write(locked, bytes("a file, not a directory"));
		route("--source-bucket", fixture.bucket("bad"), "--source-prefix", "x", "--pipeline", "readonly", "--type",
				"DIRECTORY", "--directory", "locked/in");
		InProcessCli.Result readOnly = this.ferry.run("run", "s3Egress", "source=bad", "runDate=2026-12-02");
		assertThat(readOnly.exitCode()).isEqualTo(ExitCode.FAILED.code());
		assertThat(fixture.failure("runDate=2026-12-02 source=bad"))
			.contains("The directory " + locked.resolve("in") + " of route 'readonly'")
			.contains("is not writable");

		InProcessCli.Result unknown = this.ferry.run("run", "s3Egress", "source=nope", "runDate=2026-12-01");
		assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(unknown.err()).contains("no egress source 'nope' is configured (ferry.s3-egress.sources.nope.*)");
	}

	@Test
	void theRoutesCommandAddsListsAndRemovesRoutesAndRefusesBadOnesWithExitCode2() {
		InProcessCli.Result noBucket = this.ferry.run("routes", "add", "--source-bucket", "b", "--pipeline", "p",
				"--type", "S3");
		assertThat(noBucket.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(noBucket.err()).contains("an S3 route needs a destination bucket");
		InProcessCli.Result escape = this.ferry.run("routes", "add", "--source-bucket", "b", "--pipeline", "p",
				"--type", "DIRECTORY", "--directory", "../etc");
		assertThat(escape.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(escape.err()).contains("must be relative to ferry.s3-egress.directory-root, without '..'");
		assertThat(this.ferry.run("routes", "add", "--source-bucket", "b", "--pipeline", "p", "--type", "FTP").err())
			.contains("transfer type 'FTP' is neither S3 nor DIRECTORY");

		route("--source-bucket", "cli-bucket", "--source-prefix", "in", "--pipeline", "p", "--type", "S3",
				"--destination-bucket", "elsewhere", "--decrypt");
		InProcessCli.Result again = this.ferry.run("routes", "add", "--source-bucket", "cli-bucket", "--source-prefix",
				"in/", "--pipeline", "p", "--type", "S3", "--destination-bucket", "elsewhere");
		assertThat(again.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(again.err()).contains("route 'p' (s3://cli-bucket/in/) exists already");
		assertThat(this.ferry.run("routes", "list").out()).containsPattern(" cli-bucket +\\| in/ +\\| p +\\| S3 ");
		assertThat(this.ferry
			.run("routes", "remove", "--source-bucket", "cli-bucket", "--source-prefix", "in", "--pipeline", "p")
			.out()).contains("Removed route 'p' (s3://cli-bucket/in/)");
		InProcessCli.Result gone = this.ferry.run("routes", "remove", "--source-bucket", "cli-bucket",
				"--source-prefix", "in", "--pipeline", "p");
		assertThat(gone.exitCode()).isEqualTo(ExitCode.USAGE.code());
		assertThat(gone.err()).contains("There is no route 'p' (s3://cli-bucket/in/)");
		assertThat(this.ferry.run("routes").exitCode()).isEqualTo(ExitCode.USAGE.code());
	}

	private void route(String... options) {
		String[] args = new String[options.length + 2];
		args[0] = "routes";
		args[1] = "add";
		System.arraycopy(options, 0, args, 2, options.length);
		InProcessCli.Result result = this.ferry.run(args);
		assertThat(result.exitCode()).as(result.err()).isZero();
	}

}
