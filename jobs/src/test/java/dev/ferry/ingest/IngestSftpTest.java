package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.ferry.testjob.FerryJobTest;
import dev.ferry.testjob.InProcessCli;
import dev.ferry.testkit.Clamd;
import dev.ferry.testkit.ClamdExtension;
import dev.ferry.testkit.S3ProxyExtension;
import dev.ferry.testkit.SftpServer;
import dev.ferry.testkit.SftpServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ingest from an SFTP server (Apache MINA SSHD, key auth, fixed host key) end to end: the
 * host key is checked against known_hosts (an unknown or changed key is refused before
 * anything moves), links are not followed, and files are moved at the server after they
 * are stored.
 */
@ExtendWith({ S3ProxyExtension.class, ClamdExtension.class, SftpServerExtension.class, OutputCaptureExtension.class })
@FerryJobTest
class IngestSftpTest {

	static final SftpServer sftp = SftpServerExtension.server();

	static final Path inbox = directory(sftp.rootDir(), "inbox-");

	/** Same root and client key as the real server, another host key. */
	static final SftpServer impostor = SftpServer.start(sftp.stateDir(), 0, SftpServer.HostKey.DIFFERENT);

	static final IngestFixture fixture = new IngestFixture(S3ProxyExtension.target(), ClamdExtension.clamd());

	static {
		String remote = sftp.remotePath(inbox);
		fixture.source("remote", "sftp", remote, sftp(sftp, sftp.knownHostsFile()))
			.set("remote", "post-action", "move:" + remote + "/ingested");
		// known_hosts holds the real server's key for the impostor's address
		Path trusted = write(fixture.work.resolve("known_hosts.impostor"),
				"[127.0.0.1]:" + impostor.port() + " " + sftp.hostKeyEntry() + "\n");
		fixture.source("impostor", "sftp", remote, sftp(impostor, trusted));
		Path empty = write(fixture.work.resolve("known_hosts.empty"), "");
		fixture.source("stranger", "sftp", remote, sftp(sftp, empty));
	}

	@Autowired
	InProcessCli ferry;

	@AfterAll
	static void stopImpostor() {
		impostor.close();
	}

	@Test
	void filesComeFromTheServerAndAreMovedThereOnceStored(CapturedOutput log) throws Exception {
		byte[] clean = "id;amount\n1;42\n".getBytes(StandardCharsets.UTF_8);
		Files.write(inbox.resolve("1124_2026_12_01.xml"), clean);
		Files.write(inbox.resolve("virus*.com"), Clamd.eicar());
		Files.createSymbolicLink(inbox.resolve("hostname"), Path.of("/etc/hostname"));

		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=remote", "runDate=2026-12-01");
		assertThat(result.exitCode()).as(result.err() + log.getOut()).isZero();

		assertThat(fixture.objects("remote")).containsOnlyKeys("1124_2026_12_01.xml", "1124_2026_12_01.xml.done");
		assertThat(fixture.objects("remote").get("1124_2026_12_01.xml")).isEqualTo(clean);
		assertThat(fixture.quarantine.resolve("remote/virus*.com")).hasBinaryContent(Clamd.eicar());
		assertThat(fixture.quarantine.resolve("remote/virus*.com.report.json")).content()
			.contains("\"verdict\" : \"infected\"")
			.contains("\"path\" : \"" + sftp.remotePath(inbox) + "/virus*.com\"");
		assertThat(fixture.states("remote")).containsOnly(Map.entry("1124_2026_12_01.xml", "source_cleaned"),
				Map.entry("virus*.com", "source_cleaned"), Map.entry("hostname", "rejected"));
		assertThat(inbox.resolve("ingested/1124_2026_12_01.xml")).hasBinaryContent(clean);
		assertThat(inbox.resolve("ingested/virus*.com")).exists();
		assertThat(inbox.resolve("1124_2026_12_01.xml")).doesNotExist();
		assertThat(inbox.resolve("hostname")).isSymbolicLink();
		assertThat(log.getOut()).contains("Source 'remote': sftp://ferry@127.0.0.1:" + sftp.port());
	}

	@Test
	void aServerWithAnotherHostKeyIsRefusedBeforeAnythingMoves() throws Exception {
		Files.writeString(inbox.resolve("not-for-impostors.csv"), "x");
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=impostor", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(fixture.failure("source=impostor")).contains("presented a host key OTHER than the one")
			.contains("known_hosts.impostor")
			.contains("ferry.ingest.sources.impostor.sftp.known-hosts-file")
			.contains("man-in-the-middle");
		assertThat(fixture.ledger("impostor")).isEmpty();
		assertThat(fixture.keys("in/impostor/")).isEmpty();
	}

	@Test
	void aServerWhoseHostKeyIsUnknownIsRefused() {
		InProcessCli.Result result = this.ferry.run("run", "ingest", "source=stranger", "runDate=2026-12-01");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(fixture.failure("source=stranger")).contains("presented a host key that the known_hosts file")
			.contains("does not hold")
			.contains("ferry.ingest.sources.stranger.sftp.known-hosts-file");
		assertThat(fixture.ledger("stranger")).isEmpty();
	}

	private static String[] sftp(SftpServer server, Path knownHosts) {
		return new String[] { "sftp.host=" + server.host(), "sftp.port=" + server.port(), "sftp.user=" + server.user(),
				"sftp.private-key-file=" + server.clientPrivateKeyFile(), "sftp.known-hosts-file=" + knownHosts };
	}

	private static Path directory(Path parent, String prefix) {
		try {
			return Files.createTempDirectory(parent, prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path write(Path file, String content) {
		try {
			return Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
