package dev.ferry.mirror;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.ferry.common.s3.BucketAccessException;
import dev.ferry.common.s3.S3Target;
import dev.ferry.routes.Route;
import dev.ferry.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code checkEgress} step, before anything is sent (and again on every restart:
 * buckets, routes and flags change between runs): the source bucket exists and takes its
 * credentials; its flags are matched to routes, and each flag under no route is logged
 * and left alone; every route with a flag to send has a usable destination (an S3 bucket
 * that exists and takes the credentials, or a directory under the root that can be
 * written). A failure names the route and what to fix. Keeps nothing in its
 * ExecutionContext.
 */
class EgressCheckTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(EgressCheckTasklet.class);

	private final String sourceName;

	/** Where the source and destinations are, the routes, and the flags already sent. */
	private final Routing routing;

	EgressCheckTasklet(String sourceName, Routing routing) {
		this.sourceName = sourceName;
		this.routing = routing;
	}

	/**
	 * What the check reads.
	 *
	 * @param endpoints the configured source and destination endpoints
	 * @param routeTable the routes
	 * @param ledger the flags already transferred
	 */
	record Routing(EgressEndpoints endpoints, RouteTable routeTable, TransferLedger ledger) {
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		S3Target source = this.routing.endpoints().source(this.sourceName);
		source.checkAccess();
		EgressPlan plan = EgressPlan.scan(source, this.routing.routeTable(), this.routing.ledger());
		for (Flag flag : plan.unrouted()) {
			logger.warn(
					"No route for the flag {}: left alone (a route of bucket '{}' with a prefix of '{}' would"
							+ " send it: 'ferry routes add')",
					flag.describe(source.bucket()), source.bucket(), MirrorLog.escape(flag.folder()));
		}
		Set<Route> routes = new LinkedHashSet<>();
		plan.pending().forEach(transfer -> routes.add(transfer.route()));
		routes.forEach(this::checkDestination);
		logger.info("Egress source '{}' (s3://{}/{} at {}): {} flag(s) to send, {} sent before, {} without a route",
				this.sourceName, source.bucket(), source.location().key(""), source.location().displayEndpoint(),
				plan.pending().size(), plan.transferred(), plan.unrouted().size());
		return RepeatStatus.FINISHED;
	}

	private void checkDestination(Route route) {
		if (route.transferType() == Route.TransferType.DIRECTORY) {
			this.routing.endpoints().directory(route).check();
			return;
		}
		S3Target destination = this.routing.endpoints().destination(this.sourceName, route);
		try {
			destination.checkAccess();
		}
		catch (BucketAccessException ex) {
			String where = destination.describe();
			String why = (ex.problem() == BucketAccessException.Problem.NO_SUCH_BUCKET)
					? "the destination " + where + " does not exist" : ex.getMessage();
			throw new IllegalStateException(route.describe() + ": " + why + ". Nothing was sent; create the bucket,"
					+ " or fix the route's destination ('ferry routes remove', then 'ferry routes add')", ex);
		}
	}

}
