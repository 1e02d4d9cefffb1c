package dev.ferry.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL queries of {@code openshift/grafana-dashboard.json}, and the metric and
 * label names they use.
 */
final class GrafanaDashboard {

	static final Path FILE = Path.of("../openshift/grafana-dashboard.json");

	/** PromQL's functions, aggregations and keywords: not metric names. */
	private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase",
			"changes", "max_over_time", "min_over_time", "count_over_time", "label_values", "time", "by", "without",
			"on", "ignoring", "and", "or", "unless", "offset", "bool", "topk", "bottomk");

	private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{([^}]*)}");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");

	private final List<String> queries = new ArrayList<>();

	private final List<String> legends = new ArrayList<>();

	private GrafanaDashboard(JsonNode dashboard) {
		collect(dashboard);
	}

	static GrafanaDashboard read() {
		return new GrafanaDashboard(JsonMapper.builder().build().readTree(FILE.toFile()));
	}

	private void collect(JsonNode node) {
		if (node.isObject()) {
			for (String field : List.of("expr", "definition")) {
				if (node.has(field) && node.get(field).isString()) {
					this.queries.add(node.get(field).asString());
				}
			}
			JsonNode query = node.get("query");
			if (query != null && query.isObject() && query.has("query")) {
				this.queries.add(query.get("query").asString());
			}
			if (node.has("legendFormat")) {
				this.legends.add(node.get("legendFormat").asString());
			}
		}
		node.values().forEach(this::collect);
	}

	List<String> queries() {
		return this.queries;
	}

	/** The metric names the queries read. */
	Set<String> metrics() {
		Set<String> metrics = new TreeSet<>();
		for (String query : this.queries) {
			String bare = LABEL_MATCHERS.matcher(query).replaceAll(" ");
			bare = GROUPING.matcher(bare).replaceAll(" ");
			bare = bare.replaceAll("\\[[^]]*]", " ").replaceAll("\\$\\w+", " ").replaceAll("\"[^\"]*\"", " ");
			// label_values(metric, label): the label is not a metric
			bare = bare.replaceAll(",\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", ")");
			Matcher names = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
			while (names.find()) {
				if (!PROMQL.contains(names.group())) {
					metrics.add(names.group());
				}
			}
		}
		return metrics;
	}

	/** The label names the queries match, group by, or show in a legend. */
	Set<String> labels() {
		Set<String> labels = new TreeSet<>();
		for (String query : this.queries) {
			Matcher matchers = LABEL_MATCHERS.matcher(query);
			while (matchers.find()) {
				for (String matcher : matchers.group(1).split(",")) {
					if (!matcher.isBlank()) {
						labels.add(matcher.strip().split("[=!~]", 2)[0].strip());
					}
				}
			}
			Matcher grouping = GROUPING.matcher(query);
			while (grouping.find()) {
				for (String label : grouping.group(1).split(",")) {
					labels.add(label.strip());
				}
			}
			Matcher labelValues = Pattern.compile("label_values\\([^,]*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)")
				.matcher(query);
			while (labelValues.find()) {
				labels.add(labelValues.group(1));
			}
		}
		for (String legend : this.legends) {
			Matcher matcher = LEGEND_LABEL.matcher(legend);
			while (matcher.find()) {
				labels.add(matcher.group(1));
			}
		}
		return labels;
	}

}
