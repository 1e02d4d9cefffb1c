package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.ferry.testkit.SftpServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An SFTP source's recursive listing while another party (another pod's post-action, the
 * partner tidying up) removes a folder between the listing of its parent and its own: the
 * folder is left out, as a file removed mid-listing is, instead of failing the run. The
 * server removes the folder at the moment the client opens it, so the race is certain.
 * The source's own directory missing is still an error.
 */
class SftpListingRaceTest {

	@Test
	void aFolderRemovedAsItIsListedIsLeftOutAndAMissingSourceDirectoryIsAnError(@TempDir Path state)
			throws IOException {
		try (SftpServer server = SftpServer.start(state)) {
			Path inbox = Files.createDirectories(server.rootDir().resolve("inbox"));
			Files.writeString(inbox.resolve("a.txt"), "a");
			Files.writeString(Files.createDirectories(inbox.resolve("kept")).resolve("b.txt"), "b");
			Files.writeString(Files.createDirectories(inbox.resolve("gone/deeper")).resolve("c.txt"), "c");
			server.addEventListener(new SftpEventListener() {

				@Override
				public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
					if (localHandle instanceof DirectoryHandle && localHandle.getFile().endsWith("gone")) {
						FileSystemUtils.deleteRecursively(localHandle.getFile());
					}
				}

			});
			IngestProperties.Sftp settings = new IngestProperties.Sftp(server.host(), server.port(), server.user(),
					server.clientPrivateKeyFile(), server.knownHostsFile(), Duration.ofSeconds(10));
			try (SftpFileSource source = new SftpFileSource(settings, "ferry.ingest.sources.race.sftp")) {
				List<ListedFile> listed = source.list(server.remotePath(inbox), true);

				assertThat(listed).extracting(ListedFile::relative).containsExactlyInAnyOrder("a.txt", "kept/b.txt");
				assertThat(inbox.resolve("gone")).as("removed by the server as the client opened it").doesNotExist();
				assertThatThrownBy(() -> source.list(server.remotePath(inbox) + "/missing", true))
					.isInstanceOf(IOException.class)
					.hasMessageContaining("Could not list '" + server.remotePath(inbox) + "/missing'");
			}
		}
	}

}
