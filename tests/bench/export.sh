#!/usr/bin/env bash
# The exporter's own cost, at the issue's scale (make bench runs it; alone:
# tests/bench/export.sh). NCONT containers of the local test image (no
# registry), each holding PER sleeping processes, unless P names running
# ones. Then, without and with -p (the per-process series): ctop-bpf
# --export -d 1, scraped every second for SECS, gives its CPU share; then
# SCRAPES scrapes back to back, all in one curl on one kept-alive
# connection as Prometheus keeps it (so that curl's own start-up is not
# timed), give the latency. Figures, not pass/fail.
set -u
cd "$(dirname "$0")/../.."
export OUT=${OUT:-.output} CTOP_BIN=${CTOP_BIN:-./ctop-bpf}
source tests/e2e/lib.sh
need_root
command -v curl >/dev/null || { echo "curl is missing (make deps-test)" >&2; exit 1; }
NCONT=${NCONT:-100}
PER=${PER:-10}
SECS=${SECS:-30}
SCRAPES=${SCRAPES:-1000}
PORT=$((40000 + $$ % 5000))
bench_start export
U=http://127.0.0.1:$PORT/metrics
# Prometheus's own Accept header: it gets OpenMetrics.
ACCEPT='Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'

# cpu_ns (lib.sh) loses no thread: the server's threads are a fixed pool.
# pctl FILE P: the P-th percentile of the sorted numbers in FILE, in ms.
pctl() { awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.2f", v[i] * 1000 }' "$1"; }

# run LABEL ARGS...: one exporter with ARGS, measured.
run() {
	local label=$1 c1 c2 w1 w2 n bytes rows procs rss i
	shift
	$CTOP_BIN --export 127.0.0.1:$PORT -d 1 -f "$P" "$@" 2>"$TMP/err" &
	ctop=$!
	# until every container and its processes are in the scrape
	for _ in $(seq 1 100); do
		rows=$(curl -s $U | grep -c '^container_processes{')
		[ "$rows" -ge "$NCONT" ] && break
		sleep 0.2
	done
	sleep 2
	c1=$(cpu_ns $ctop) w1=$(date +%s%N)
	for _ in $(seq 1 "$SECS"); do curl -s -o /dev/null -H "$ACCEPT" $U; sleep 1; done
	c2=$(cpu_ns $ctop) w2=$(date +%s%N)
	curl -s $U >"$TMP/scrape"
	n=$(grep -c '^[a-z]' "$TMP/scrape")
	bytes=$(wc -c <"$TMP/scrape")
	rows=$(grep -c '^container_processes{' "$TMP/scrape")
	procs=$(awk '/^container_processes\{/ { n += $NF } END { print n + 0 }' "$TMP/scrape")
	for i in $(seq 1 "$SCRAPES"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$U"; done >"$TMP/curl.cfg"
	curl -s -H "$ACCEPT" -K "$TMP/curl.cfg" -w '%{time_total}\n' | sort -n >"$TMP/lat"
	rss=$(awk '/^VmHWM/ { print $2 }' /proc/$ctop/status)
	kill $ctop
	wait $ctop 2>/dev/null
	ctop=
	echo "-- $label"
	printf '%-44s %s containers, %s processes\n' "exported" "$rows" "$procs"
	printf '%-44s %s%% of one core\n' "exporter CPU, 1 s refresh, scraped every 1 s" \
		"$(awk -v t=$((c2 - c1)) -v w=$((w2 - w1)) 'BEGIN { printf "%.3f", t / w * 100 }')"
	printf '%-44s %s bytes, %s series\n' "one scrape (text format)" "$bytes" "$n"
	printf '%-44s p50 %s ms, p99 %s ms, max %s ms (%s scrapes)\n' "scrape latency (OpenMetrics)" \
		"$(pctl "$TMP/lat" 50)" "$(pctl "$TMP/lat" 99)" "$(pctl "$TMP/lat" 100)" "$(wc -l <"$TMP/lat")"
	printf '%-44s %s MiB\n' "exporter peak RSS" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
	[ -s "$TMP/err" ] && sed 's/^/# stderr: /' "$TMP/err"
	echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	return 0
}

echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (latency on a loaded machine is its scheduling's)"
echo "# ${SECS} s scraped every second, then $SCRAPES scrapes back to back; CPU from /proc/PID/task/*/schedstat"
run "without -p"
run "with -p (per-process series)" -p
