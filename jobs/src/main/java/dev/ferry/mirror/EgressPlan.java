package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ferry.common.s3.S3Target;
import dev.ferry.routes.Route;
import dev.ferry.routes.RouteTable;

/**
 * What a run of routed egress finds: the flags under the source's prefix, matched to the
 * routes of the source's bucket ({@link RoutedFlag#of}), minus the transfers the ledger
 * records as done.
 *
 * @param unrouted flags under no route's prefix: left alone, and logged
 * @param pending transfers to do, in the order of the flags' keys
 * @param transferred transfers found that are done already
 */
record EgressPlan(List<Flag> unrouted, List<RoutedFlag> pending, int transferred) {

	static EgressPlan scan(S3Target source, RouteTable routeTable, TransferLedger ledger) {
		List<Route> routes = routeTable.ofBucket(source.bucket());
		List<Flag> unrouted = new ArrayList<>();
		List<RoutedFlag> found = new ArrayList<>();
		for (Flag flag : FlagScan.flags(source)) {
			List<RoutedFlag> triggered = RoutedFlag.of(flag, routes);
			if (triggered.isEmpty()) {
				unrouted.add(flag);
			}
			found.addAll(triggered);
		}
		Set<RoutedFlag> done = ledger.transferred(found);
		List<RoutedFlag> pending = found.stream().filter(transfer -> !done.contains(transfer)).toList();
		return new EgressPlan(unrouted, pending, done.size());
	}

}
