# shellcheck shell=bash
# What Ferry's benchmarks share (sourced by bench/*/run after bin/java25-env.sh): arithmetic
# and statistics, the machine's load, and the image launch's application directory.
# Uses $root (the repository), $report (the report file), $JAVA_HOME, log and die.

clk_tck="$(getconf CLK_TCK)"
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
min_of() { printf '%s\n' "$@" | sort -g | head -n 1; }
max_of() { printf '%s\n' "$@" | sort -g | tail -n 1; }
out() { printf '%s\n' "$*" | tee -a "$report"; }

# busy CPU ticks of the whole machine so far (all cores; /proc/stat minus idle and iowait)
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# waits until the machine is quiet (under 10% of one core busy over 3 s), at most $1 seconds
wait_quiet() {
	local limit="$1" waited=0 b0 b1 busy
	while :; do
		b0="$(machine_busy)"
		sleep 3
		b1="$(machine_busy)"
		busy="$(calc "($b1 - $b0) / $clk_tck / 3 * 100" 0)"
		[ "$busy" -lt 10 ] && break
		if [ "$waited" -ge "$limit" ]; then
			log "the machine is still busy ($busy% of one core used by other processes): measuring anyway"
			return
		fi
		[ "$waited" = 0 ] && log "waiting for the machine to be quiet ($busy% of one core busy; at most $limit s)"
		waited=$((waited + 3))
	done
	[ "$waited" = 0 ] || log "quiet after $waited s"
}

# The image launch's application, as the Dockerfile makes it: the jar extracted
# (java -Djarmode=tools -jar ferry.jar extract: ferry.jar and lib/) and a JDK AOT cache
# trained by one real dump of the demo's sample data on the demo's own servers (FerryDemo
# --train-aot-cache). Made again whenever the jar is newer than the cache.
# $1 = the Ferry jar, $2 = the application directory, $3 = where the logs go
image_app() {
	local jar="$1" app="$2" logs="$3" classpath_file="$root/demo/target/demo.classpath"
	if [ -s "$app/ferry.aot" ] && [ ! "$jar" -nt "$app/ferry.aot" ]; then
		return
	fi
	rm -rf "$app" "$app.training"
	log "extracting $jar into $app (java -Djarmode=tools -jar ferry.jar extract)"
	"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$app" >"$logs/extract.log" 2>&1 ||
		{ cat "$logs/extract.log" >&2; die "could not extract $jar"; }
	# extract names the application's jar after the source jar; the image calls it ferry.jar
	[ -f "$app/ferry.jar" ] || mv "$app/$(basename "$jar")" "$app/ferry.jar"
	[ -s "$classpath_file" ] || die "no $classpath_file: the demo module is not built (run without --skip-build)"
	log "training the AOT cache as the Dockerfile does: the demo dumps its sample tables once (log: $logs/aot-training.log)"
	mkdir -p "$app.training/tmp"
	"$JAVA_HOME/bin/java" -Djava.io.tmpdir="$app.training/tmp" \
		-Dferry.testkit.s3proxy-jar="$root/demo/target/test-servers/s3proxy.jar" \
		-cp "$root/demo/target/classes:$(cat "$classpath_file")" dev.ferry.demo.FerryDemo \
		--state "$app.training/state" --jar "$app/ferry.jar" --train-aot-cache "$app/ferry.aot" \
		>"$logs/aot-training.log" 2>&1 ||
		{ tail -n 20 "$logs/aot-training.log" >&2; die "AOT training failed (log: $logs/aot-training.log)"; }
	rm -rf "$app.training"
}
