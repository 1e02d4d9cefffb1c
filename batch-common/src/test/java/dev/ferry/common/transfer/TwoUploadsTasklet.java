package dev.ferry.common.transfer;

import java.util.List;
import java.util.Random;

import dev.ferry.common.s3.S3Target;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Writes two objects, {@code <prefix>first} and {@code <prefix>second}, of a few parts
 * each, one S3 call per chunk and alternating between them, so that both uploads are
 * mid-way at any time. Their ExecutionContext keys are prefixed {@code first.} and
 * {@code second.}. Prints {@code sent part N of NAME} for every part it sends, so that a
 * test can count what a restart sent again.
 */
class TwoUploadsTasklet implements Tasklet, ItemStream {

	static final int PART_SIZE = 5 * 1024 * 1024;

	static final int LAST_PART_SIZE = 300 * 1024;

	private final List<Writer> writers;

	private final long partDelayMillis;

	TwoUploadsTasklet(S3Target target, String prefix, int parts, long partDelayMillis) {
		this.writers = List.of(new Writer("first", target, prefix, parts), new Writer("second", target, prefix, parts));
		this.partDelayMillis = partDelayMillis;
	}

	/**
	 * Part {@code number} (from 1) of the object {@code name}: the same bytes in every
	 * run.
	 */
	static byte[] content(String name, int number, int parts) {
		byte[] bytes = new byte[(number == parts) ? LAST_PART_SIZE : PART_SIZE];
		new Random(name.hashCode() * 31L + number).nextBytes(bytes);
		return bytes;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		for (Writer writer : this.writers) {
			writer.upload.open(executionContext);
			System.out.println("Object " + writer.name + ": " + writer.upload.resume());
		}
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.writers.forEach(writer -> writer.upload.update(executionContext));
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		for (Writer writer : this.writers) {
			if (!writer.upload.begun() && !writer.upload.allPartsUploaded()) {
				writer.upload.begin();
				return RepeatStatus.CONTINUABLE;
			}
		}
		Writer next = this.writers.stream()
			.filter(writer -> writer.upload.begun() && !writer.upload.allPartsUploaded())
			.min((a, b) -> Integer.compare(a.upload.partCount(), b.upload.partCount()))
			.orElse(null);
		if (next != null) {
			int number = next.upload.partCount() + 1;
			next.upload.sendPart(PartBytes.of(content(next.name, number, next.parts)));
			System.out.println("sent part " + number + " of " + next.name);
			if (number == next.parts) {
				next.upload.markAllPartsSent();
			}
			Thread.sleep(this.partDelayMillis);
			return RepeatStatus.CONTINUABLE;
		}
		for (Writer writer : this.writers) {
			if (writer.upload.begun()) {
				writer.upload.complete();
				return RepeatStatus.CONTINUABLE;
			}
		}
		return RepeatStatus.FINISHED;
	}

	private static final class Writer {

		final String name;

		final int parts;

		final ResumableUpload upload;

		Writer(String name, S3Target target, String prefix, int parts) {
			this.name = name;
			this.parts = parts;
			this.upload = new ResumableUpload(name, new StoredObject(target, prefix + name),
					"application/octet-stream");
		}

	}

}
