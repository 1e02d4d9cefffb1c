package dev.ferry.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.routes.Route;

/**
 * One transfer of routed egress: a flag and a route that it triggers. The objects under
 * the flag's folder go to the route's destination with the route's source prefix replaced
 * by its destination prefix (or directory): a flag at
 * {@code exports/2026-12-01/pipeline_success.flag} under a route of {@code exports/}
 * sends {@code exports/2026-12-01/a.csv.gz} to {@code <destination>/2026-12-01/a.csv.gz}.
 *
 * @param flag the flag
 * @param route the route
 */
record RoutedFlag(Flag flag, Route route) {

	/**
	 * The routes a flag triggers: those of the longest source prefix that the flag's
	 * folder starts with (a more specific route wins), all pipeline names of it (seed
	 * 001's {@code name} and {@code name#sft} send one prefix two ways). Empty when no
	 * route's prefix holds the flag.
	 * @param routes the routes of the source bucket
	 */
	static List<RoutedFlag> of(Flag flag, List<Route> routes) {
		String folder = flag.folder();
		Optional<String> best = routes.stream()
			.map(Route::sourcePrefix)
			.filter(folder::startsWith)
			.max((a, b) -> Integer.compare(a.length(), b.length()));
		List<RoutedFlag> triggered = new ArrayList<>();
		best.ifPresent(prefix -> routes.stream()
			.filter(route -> route.sourcePrefix().equals(prefix))
			.forEach(route -> triggered.add(new RoutedFlag(flag, route))));
		return triggered;
	}

	/**
	 * The flag's folder relative to the route's source prefix: empty or ending in '/'.
	 */
	String subfolder() {
		return this.flag.folder().substring(this.route.sourcePrefix().length());
	}

	/** {@code route 'x' (s3://b/p), flag `b/k` (ETag, time)}, for log lines. */
	String describe() {
		return this.route.describe() + ", flag " + this.flag.describe(this.route.sourceBucket());
	}

}
