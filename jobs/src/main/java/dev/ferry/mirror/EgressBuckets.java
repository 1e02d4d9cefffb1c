package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.common.s3.ManagedBucket;
import dev.ferry.common.s3.ManagedBuckets;
import dev.ferry.routes.Route;
import dev.ferry.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 destinations of routed egress, for {@code bucket-check} and {@code bucket-setup}
 * ({@code --job s3Egress}): the destination bucket and prefix of every S3 route of a
 * configured source's bucket, read from {@code ferry_route} when a command runs, each
 * once however many routes share it. A destination is reached as the job reaches it
 * ({@link EgressEndpoints#destination}), with its endpoint's credentials and encryption;
 * objects are expected to expire within {@code ferry.s3-egress.expire-days}. A route that
 * names an unconfigured endpoint is left out with a warning (the job's check fails on it,
 * naming the property).
 * <p>
 * Thread-safe: reads the table on each call.
 */
final class EgressBuckets implements ManagedBuckets {

	private static final Logger logger = LoggerFactory.getLogger(EgressBuckets.class);

	private final EgressEndpoints endpoints;

	private final RouteTable routeTable;

	EgressBuckets(EgressEndpoints endpoints, RouteTable routeTable) {
		this.endpoints = endpoints;
		this.routeTable = routeTable;
	}

	@Override
	public List<ManagedBucket> buckets() {
		S3EgressProperties properties = this.endpoints.properties();
		Map<String, ManagedBucket> buckets = new LinkedHashMap<>();
		for (String source : this.endpoints.names()) {
			for (Route route : this.routeTable.ofBucket(properties.sources().get(source).bucket())) {
				if (route.transferType() != Route.TransferType.S3) {
					continue;
				}
				String endpoint = route.destinationEndpoint();
				if (endpoint != null && !properties.targets().containsKey(endpoint)) {
					logger.warn(
							"{} names the destination endpoint '{}', which is not configured ({}.targets.{}.*);"
									+ " its bucket is not checked",
							route.describe(), endpoint, S3EgressProperties.PREFIX, endpoint);
					continue;
				}
				String where = ((endpoint != null) ? endpoint : "source " + source) + " " + route.destinationBucket()
						+ "/" + route.destinationPrefix();
				buckets.computeIfAbsent(where,
						key -> new ManagedBucket(S3EgressConfiguration.JOB_NAME,
								() -> this.endpoints.destination(source, route), properties.expireDays(),
								S3EgressProperties.PREFIX + ".expire-days"));
			}
		}
		return new ArrayList<>(buckets.values());
	}

}
