package dev.ferry.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.ferry.ingest.IngestLocalTest.bytes;
import static dev.ferry.ingest.IngestLocalTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code decompress}: a clean {@code .gz} is uploaded unpacked and a clean zip as it is;
 * EICAR in a {@code .gz}, in a zip, in a nested zip and in a zip's subdirectory is
 * quarantined with a report naming the entry; and every archive trap (zip-slip names, a
 * bomb with honest or lying headers, tens of thousands of entries, nesting too deep,
 * encryption, repeated names, corruption, an unpacked name Ferry reserves) ends
 * quarantined as unscannable with the reason in its ledger row, never uploaded. Staging
 * is left empty.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class IngestArchiveTest {

	static final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd())
		.local("gz", "decompress=gz", "recursive=true")
		.local("gzsmall", "decompress=gz", "archive.max-size=1MB")
		.local("zip", "decompress=zip")
		.local("off");

	static final int MIB = 1024 * 1024;

	@Autowired
	InProcessCli ferry;

	@Test
	void gzFilesAreScannedAndUploadedUnpackedAndItsTrapsAreUnscannable(CapturedOutput log) throws Exception {
		byte[] report = new byte[300_000];
		new Random(3).nextBytes(report);
		fixture.write("gz", "reports/day.csv.gz", Archives.gzip(report));
		fixture.write("gz", "plain.txt", bytes("not packed"));
		fixture.write("gz", "virus.com.gz", Archives.gzip(Clamd.eicar()));
		byte[] bomb = Archives.gzipZeros(50 * MIB);
		fixture.write("gz", "bomb.bin.gz", bomb);
		fixture.write("gz", "garbage.gz", bytes("this is not gzip at all"));
		fixture.write("gz", "x.done.gz", Archives.gzip(bytes("would pose as a marker")));
		byte[] random = new byte[2 * MIB];
		new Random(5).nextBytes(random);
		fixture.write("gzsmall", "big.bin.gz", Archives.gzip(random));

		assertSucceeds("gz", log);
		assertSucceeds("gzsmall", log);

		Map<String, byte[]> objects = fixture.objects("gz");
		assertThat(objects).containsOnlyKeys("reports/day.csv", "reports/day.csv.done", "plain.txt", "plain.txt.done");
		assertThat(objects.get("reports/day.csv")).isEqualTo(report);
		assertThat(fixture.head("in/gz/reports/day.csv").metadata()).containsEntry("ferry-sha256", sha256(report))
			.containsEntry("ferry-verdict", "clean");
		assertThat(fixture.ledger("gz")).filteredOn(row -> row.get("path").toString().endsWith("day.csv.gz"))
			.singleElement()
			.satisfies(row -> assertThat(row).containsEntry("state", "uploaded")
				.containsEntry("destination", "s3://" + fixture.bucket + "/in/gz/reports/day.csv")
				.containsEntry("sha256", sha256(Archives.gzip(report))));

		assertThat(fixture.states("gz")).containsOnly(Map.entry("reports/day.csv.gz", "uploaded"),
				Map.entry("plain.txt", "uploaded"), Map.entry("virus.com.gz", "quarantined"),
				Map.entry("bomb.bin.gz", "quarantined"), Map.entry("garbage.gz", "quarantined"),
				Map.entry("x.done.gz", "quarantined"));
		// the .gz as downloaded is what quarantine keeps
		assertThat(fixture.quarantine.resolve("gz/virus.com.gz")).hasBinaryContent(Archives.gzip(Clamd.eicar()));
		assertThat(report("gz/virus.com.gz").get("signature").asString()).isEqualTo("Eicar-Test-Signature.UNOFFICIAL");
		assertRow("gz", "virus.com.gz", "infected", "Eicar-Test-Signature.UNOFFICIAL");
		assertRow("gz", "bomb.bin.gz", "unscannable",
				"Ferry.Archive.Ratio: unpacking 'bomb.bin.gz' passed max-ratio 100");
		assertThat(fixture.quarantine.resolve("gz/bomb.bin.gz")).hasBinaryContent(bomb);
		assertRow("gz", "garbage.gz", "unscannable", "Ferry.Archive.Corrupt: 'garbage.gz' is not gzip");
		assertRow("gz", "x.done.gz", "unscannable", "Ferry.Archive.UnsafeName: the unpacked name 'x.done' is refused");
		assertThat(report("gz/bomb.bin.gz").get("verdict").asString()).isEqualTo("unscannable");
		assertThat(report("gz/bomb.bin.gz").get("signature").asString()).startsWith("Ferry.Archive.Ratio");

		assertThat(fixture.objects("gzsmall")).isEmpty();
		assertRow("gzsmall", "big.bin.gz", "unscannable",
				"Ferry.Archive.TooLarge: unpacking 'big.bin.gz' passed max-size (1048576 bytes");
		assertThat(fixture.work.resolve("staging")).isEmptyDirectory();
	}

	@Test
	void zipsAreScannedEntryByEntryAndOnlyACleanOneIsUploadedAsItIs(CapturedOutput log) throws Exception {
		byte[] clean = Archives.zip(Map.of("a.txt", bytes("alpha"), "docs/", new byte[0], "docs/b.csv", bytes("b;1"),
				"inner.zip", Archives.zip("c.txt", bytes("gamma"))));
		fixture.write("zip", "clean.zip", clean);
		fixture.write("zip", "eicar.zip", Archives.zip("readme.txt", bytes("hello"), "virus.com", Clamd.eicar()));
		fixture.write("zip", "nested.zip",
				Archives.zip("readme.txt", bytes("hello"), "inner.zip", Archives.zip("virus.com", Clamd.eicar())));
		byte[] subdir = Archives.zip("docs/deep/virus.com", Clamd.eicar());
		fixture.write("zip", "subdir.zip", subdir);
		fixture.write("zip", "slip.zip", Archives.zip("ok.txt", bytes("ok"), "../../etc/cron.d/x", bytes("x")));
		fixture.write("zip", "absolute.zip", Archives.zip("/etc/passwd", bytes("root::0:0::/:/bin/sh")));
		fixture.write("zip", "windows.zip", Archives.zip("a\\..\\..\\x.bat", bytes("x")));
		fixture.write("zip", "bomb.zip", Archives.zeros("zeros.bin", 50 * MIB));
		fixture.write("zip", "lying.zip", Archives.lyingSizes(Archives.zeros("zeros.bin", 50 * MIB), 100));
		fixture.write("zip", "many.zip", Archives.manyEntries(20_000));
		byte[] deep = Archives.zip("a.txt", bytes("deepest"));
		for (int level = 3; level >= 1; level--) {
			deep = Archives.zip("level" + level + ".zip", deep);
		}
		fixture.write("zip", "deep.zip", deep);
		fixture.write("zip", "encrypted.zip", Archives.encrypted(Archives.zip("secret.txt", bytes("secret"))));
		fixture.write("zip", "twice.zip",
				Archives.renamed(Archives.zip("a.txt", bytes("fine"), "b.txt", Clamd.eicar()), "b.txt", "a.txt"));
		byte[] whole = Archives.zip("a.txt", bytes("alpha"));
		fixture.write("zip", "truncated.zip", Arrays.copyOf(whole, whole.length - 30));
		fixture.write("zip", "plain.txt", bytes("not a zip"));

		assertSucceeds("zip", log);

		Map<String, byte[]> objects = fixture.objects("zip");
		assertThat(objects).containsOnlyKeys("clean.zip", "clean.zip.done", "plain.txt", "plain.txt.done");
		assertThat(objects.get("clean.zip")).isEqualTo(clean);

		assertRow("zip", "eicar.zip", "infected", "Eicar-Test-Signature.UNOFFICIAL in entry 'virus.com'");
		assertRow("zip", "nested.zip", "infected", "Eicar-Test-Signature.UNOFFICIAL in entry 'inner.zip!/virus.com'");
		assertRow("zip", "subdir.zip", "infected", "Eicar-Test-Signature.UNOFFICIAL in entry 'docs/deep/virus.com'");
		assertThat(report("zip/nested.zip").get("signature").asString())
			.isEqualTo("Eicar-Test-Signature.UNOFFICIAL in entry 'inner.zip!/virus.com'");
		assertThat(report("zip/subdir.zip").get("verdict").asString()).isEqualTo("infected");
		assertThat(fixture.quarantine.resolve("zip/subdir.zip")).hasBinaryContent(subdir);

		assertRow("zip", "slip.zip", "unscannable",
				"Ferry.Archive.UnsafeName: entry '../../etc/cron.d/x': the name climbs out of its directory");
		assertRow("zip", "absolute.zip", "unscannable",
				"Ferry.Archive.UnsafeName: entry '/etc/passwd': the name is absolute");
		assertRow("zip", "windows.zip", "unscannable", "Ferry.Archive.UnsafeName: entry 'a\\\\..\\\\..\\\\x.bat'");
		assertRow("zip", "bomb.zip", "unscannable",
				"Ferry.Archive.Ratio: unpacking entry 'zeros.bin' passed max-ratio");
		assertRow("zip", "lying.zip", "unscannable",
				"Ferry.Archive.Ratio: unpacking entry 'zeros.bin' passed max-ratio");
		assertRow("zip", "many.zip", "unscannable",
				"Ferry.Archive.TooManyEntries: the archive makes 20000 entries, more than max-entries 10000");
		assertRow("zip", "deep.zip", "unscannable",
				"Ferry.Archive.TooDeep: 'level1.zip!/level2.zip!/level3.zip!/' nests archives deeper than max-depth 3");
		assertRow("zip", "encrypted.zip", "unscannable",
				"Ferry.Archive.Encrypted: the archive holds an encrypted entry");
		assertRow("zip", "twice.zip", "unscannable", "Ferry.Archive.DuplicateName: entry 'a.txt'");
		assertRow("zip", "truncated.zip", "unscannable", "Ferry.Archive.Corrupt: the archive is not a readable zip");
		assertThat(report("zip/many.zip").get("signature").asString()).startsWith("Ferry.Archive.TooManyEntries");
		assertThat(fixture.states("zip")
			.values()
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
			.containsOnly(Map.entry("uploaded", 2L), Map.entry("quarantined", 13L));
		// nothing of an entry name was written anywhere: staging is empty, and only the
		// archives and their reports are in quarantine
		assertThat(fixture.work.resolve("staging")).isEmptyDirectory();
		try (var quarantined = Files.list(fixture.quarantine.resolve("zip"))) {
			assertThat(quarantined.map(path -> path.getFileName().toString()))
				.allMatch(name -> name.endsWith(".zip") || name.endsWith(".zip.report.json"))
				.hasSize(26);
		}
		assertThat(fixture.work.resolve("etc")).doesNotExist();
	}

	@Test
	void withDecompressOffArchivesAreFilesLikeAnyOther(CapturedOutput log) throws Exception {
		byte[] gz = Archives.gzip(bytes("packed"));
		fixture.write("off", "a.csv.gz", gz);
		fixture.write("off", "slip.zip", Archives.zip("../x", bytes("x")));
		assertSucceeds("off", log);
		// clamd alone judges them: names are not its business
		assertThat(fixture.objects("off")).containsOnlyKeys("a.csv.gz", "a.csv.gz.done", "slip.zip", "slip.zip.done");
		assertThat(fixture.objects("off").get("a.csv.gz")).isEqualTo(gz);
	}

	private void assertSucceeds(String source, CapturedOutput log) {
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=" + source, "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err() + log.getOut()).isZero();
	}

	private static void assertRow(String source, String name, String verdict, String signature) {
		assertThat(fixture.ledger(source)).filteredOn(row -> row.get("path").toString().endsWith("/" + name))
			.singleElement()
			.satisfies(row -> {
				assertThat(row).containsEntry("state", "quarantined").containsEntry("verdict", verdict);
				assertThat((String) row.get("signature")).as(name).startsWith(signature);
				assertThat((String) row.get("destination")).endsWith("/" + source + "/" + name);
			});
	}

	private static JsonNode report(String quarantined) throws Exception {
		return JsonMapper.builder()
			.build()
			.readTree(
					Files.readString(fixture.quarantine.resolve(quarantined + ".report.json"), StandardCharsets.UTF_8));
	}

}
