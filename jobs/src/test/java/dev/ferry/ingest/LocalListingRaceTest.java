package dev.ferry.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local source's listing while another process removes files and folders from it (a
 * second pod's post-action, the partner tidying up): what is removed mid-listing is left
 * out, and the listing neither fails nor invents a file. Before, the first file removed
 * between reading the directory and reading its attributes failed the run
 * (IngestScaleOutTest found it).
 */
class LocalListingRaceTest {

	static final int ROUNDS = 10;

	static final int FILES = 400;

	@Test
	void filesAndFoldersRemovedWhileTheSourceIsListedAreLeftOut(@TempDir Path root) throws Exception {
		LocalFileSource source = new LocalFileSource();
		for (int round = 0; round < ROUNDS; round++) {
			Path inbox = Files.createDirectories(root.resolve("inbox-" + round));
			for (int i = 0; i < FILES; i++) {
				Path folder = Files.createDirectories(inbox.resolve("d" + (i % 20)));
				Files.writeString(folder.resolve("f-" + i + ".bin"), "x");
				Files.writeString(inbox.resolve("f-" + i + ".bin"), "x");
			}
			CompletableFuture<Void> remover = CompletableFuture.runAsync(() -> removeAll(inbox));
			List<ListedFile> listed = source.list(inbox.toString(), true);
			remover.join();
			assertThat(listed).hasSizeLessThanOrEqualTo(2 * FILES)
				.allSatisfy(file -> assertThat(file.relative()).matches("(d[0-9]+/)?f-[0-9]+\\.bin"));
		}
	}

	private static void removeAll(Path inbox) {
		try {
			for (int i = FILES - 1; i >= 0; i--) {
				Files.deleteIfExists(inbox.resolve("f-" + i + ".bin"));
				Files.deleteIfExists(inbox.resolve("d" + (i % 20)).resolve("f-" + i + ".bin"));
			}
			for (int d = 0; d < 20; d++) {
				Files.deleteIfExists(inbox.resolve("d" + d));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
