package dev.ferry.mirror;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import dev.ferry.common.progress.StepProgress;
import dev.ferry.common.s3.S3Target;
import dev.ferry.routes.Route;
import dev.ferry.routes.RouteTable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code sendPrefixes} step: sends the folder of every flag not yet sent to each
 * route it triggers, one transfer after another, one chunk per {@link #execute} call
 * ({@link PrefixTransfer}).
 * <ul>
 * <li>A transfer is taken up in {@code ferry_route_transfer} (STARTED) in the chunk that
 * also checkpoints it as the one in flight, and recorded TRANSFERRED in the chunk that
 * writes its last object (the flag) and clears it: a crash rolls both back together, so a
 * transfer is never recorded while objects of it are missing, and a done one is never
 * sent again.</li>
 * <li>A restart first resumes the transfer in flight, from its watermark and, for a large
 * object, its next part; then the flags are listed again.</li>
 * </ul>
 * ExecutionContext keys: see {@link EgressCheckpoint} and {@link PrefixTransfer}.
 * <p>
 * Not thread-safe as a whole: step-scoped, one per run; only a chunk's objects run on
 * other threads.
 */
class SendPrefixesTasklet implements Tasklet, ItemStream {

	private static final Logger logger = LoggerFactory.getLogger(SendPrefixesTasklet.class);

	private final String sourceName;

	private final EgressEndpoints endpoints;

	private final RouteTable routeTable;

	private final TransferLedger ledger;

	private final StepProgress progress;

	private final Attempts attempts;

	private final long jobExecutionId;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final Semaphore slots;

	private EgressCheckpoint checkpoint = new EgressCheckpoint();

	private @Nullable PrefixTransfer current;

	private @Nullable Deque<RoutedFlag> queue;

	SendPrefixesTasklet(String sourceName, EgressEndpoints endpoints, RouteTable routeTable, TransferLedger ledger,
			StepProgress progress, Attempts attempts, long jobExecutionId) {
		this.sourceName = sourceName;
		this.endpoints = endpoints;
		this.routeTable = routeTable;
		this.ledger = ledger;
		this.progress = progress;
		this.attempts = attempts;
		this.jobExecutionId = jobExecutionId;
		this.slots = new Semaphore(endpoints.properties().concurrency());
		progress.setItemName("objects");
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.checkpoint = EgressCheckpoint.from(executionContext);
		// now: the step saves the context once before the first chunk, through update()
		EgressCheckpoint.InFlight inFlight = EgressCheckpoint.inFlight(executionContext);
		if (inFlight != null) {
			resume(inFlight, executionContext);
		}
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.checkpoint.writeTo(executionContext, this.current);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		PrefixTransfer transfer = this.current;
		if (transfer == null) {
			return takeNext();
		}
		if (transfer.next(contribution, this.progress)) {
			this.ledger.complete(transfer.transfer(), this.jobExecutionId, transfer.objects(), transfer.bytes());
			this.checkpoint.flags++;
			this.checkpoint.objects += transfer.objects();
			this.checkpoint.bytes += transfer.bytes();
			logger.info("{}: sent {} object(s), {}; recorded as transferred", transfer.transfer().describe(),
					transfer.objects(), MirrorLog.mib(transfer.bytes()));
			this.current = null;
		}
		return RepeatStatus.CONTINUABLE;
	}

	/** Takes the next flag up, in a chunk of its own; or ends the step. */
	private RepeatStatus takeNext() {
		if (this.queue == null) {
			S3Target source = this.endpoints.source(this.sourceName);
			this.queue = new ArrayDeque<>(EgressPlan.scan(source, this.routeTable, this.ledger).pending());
		}
		RoutedFlag next = this.queue.poll();
		if (next == null) {
			logger.info("Egress source '{}': {} transfer(s) of flagged prefixes done, {} object(s), {}",
					this.sourceName, this.checkpoint.flags, this.checkpoint.objects,
					MirrorLog.mib(this.checkpoint.bytes));
			return RepeatStatus.FINISHED;
		}
		PrefixTransfer transfer = open(next);
		if (!this.ledger.claim(next, transfer.destination(), this.jobExecutionId)) {
			logger.info("{}: recorded as transferred by another execution meanwhile; skipped", next.describe());
			return RepeatStatus.CONTINUABLE;
		}
		logger.info("{}: sending its folder to {}", next.describe(), transfer.destination());
		this.current = transfer;
		return RepeatStatus.CONTINUABLE;
	}

	/** The transfer a killed run left in flight, from its checkpoint. */
	private void resume(EgressCheckpoint.InFlight inFlight, ExecutionContext context) {
		Route route = this.routeTable.ofBucket(this.endpoints.source(this.sourceName).bucket())
			.stream()
			.filter(r -> r.sourcePrefix().equals(inFlight.sourcePrefix())
					&& r.pipelineName().equals(inFlight.pipelineName()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The route '" + inFlight.pipelineName() + "' (prefix '"
					+ inFlight.sourcePrefix() + "') of the transfer of " + MirrorLog.escape(inFlight.flag().key())
					+ " that an earlier run left half done is gone from ferry_route; add it again to finish the"
					+ " transfer, or give this run up with 'ferry abandon'"));
		RoutedFlag transfer = new RoutedFlag(inFlight.flag(), route);
		PrefixTransfer resumed = open(transfer);
		resumed.restore(context);
		// the row names the execution that now holds the transfer
		this.ledger.claim(transfer, resumed.destination(), this.jobExecutionId);
		logger.info("{}: resuming after {} object(s)", transfer.describe(), resumed.objects());
		this.current = resumed;
	}

	private PrefixTransfer open(RoutedFlag transfer) {
		S3Target source = this.endpoints.source(this.sourceName);
		Route route = transfer.route();
		ObjectWrites writes = (route.transferType() == Route.TransferType.S3)
				? ObjectWrites.toS3(source, transfer, this.endpoints.destination(this.sourceName, route), this.progress)
				: ObjectWrites.toDirectory(source, transfer, this.endpoints.directory(route), this.progress);
		return new PrefixTransfer(transfer, writes, this.endpoints.properties(), this.attempts, this.executor,
				this.slots);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
