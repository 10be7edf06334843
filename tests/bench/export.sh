#!/usr/bin/env bash
# The exporter's own cost (make bench runs it; alone: tests/bench/export.sh).
# NCONT busy containers of 25 processes each are started unless P names
# running ones; ctop-bpf --export refreshes at 1 s and is scraped every
# second for SECS; then SCRAPES scrapes back to back give the latency.
# Figures, not pass/fail.
set -u
cd "$(dirname "$0")/../.."
export OUT=${OUT:-.output} CTOP_BIN=${CTOP_BIN:-./ctop-bpf}
source tests/e2e/lib.sh
need_root
command -v curl >/dev/null || { echo "curl is missing (make deps-test)" >&2; exit 1; }
NCONT=${NCONT:-40}
SECS=${SECS:-30}
SCRAPES=${SCRAPES:-1000}
PORT=$((40000 + $$ % 5000))
HZ=$(getconf CLK_TCK)
own=false
if [ -z "${P:-}" ]; then
	start_docker
	build_image || exit 1
	P=ctopbenchexp own=true
	for i in $(seq 1 "$NCONT"); do
		docker run -d --network none --name "$P-$i" "$IMAGE" /workload sleepers 24 churn 5 >/dev/null
	done
	sleep 3
fi
ctop=
cleanup() {
	[ -n "$ctop" ] && kill "$ctop" 2>/dev/null && wait "$ctop" 2>/dev/null
	$own && remove_containers "$P"
	return 0
}
trap cleanup EXIT

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
$CTOP_BIN --export 127.0.0.1:$PORT -d 1 2>/dev/null &
ctop=$!
U=http://127.0.0.1:$PORT/metrics
for _ in $(seq 1 50); do curl -sf -o /dev/null $U && break; sleep 0.2; done
sleep 2
c1=$(ticks $ctop)
for _ in $(seq 1 "$SECS"); do curl -s -o /dev/null $U; sleep 1; done
c2=$(ticks $ctop)
n=$(curl -s $U | grep -c '^[a-z]')
bytes=$(curl -s $U | wc -c)
for _ in $(seq 1 "$SCRAPES"); do curl -s -o /dev/null -w '%{time_total}\n' $U; done | sort -n >"/tmp/ctop-bench-lat.$$"
p50=$(awk -v n="$SCRAPES" 'NR == int(n * 0.50) { printf "%.2f", $1 * 1000 }' "/tmp/ctop-bench-lat.$$")
p99=$(awk -v n="$SCRAPES" 'NR == int(n * 0.99) { printf "%.2f", $1 * 1000 }' "/tmp/ctop-bench-lat.$$")
rm -f "/tmp/ctop-bench-lat.$$"
rss=$(awk '/^VmHWM/ { print $2 }' /proc/$ctop/status)
printf '%-44s %s\n' "containers exported" "$(curl -s $U | grep -c '^container_processes{')"
printf '%-44s %s%% of one core\n' "exporter CPU, 1 s refresh, scraped every 1 s" \
	"$(awk -v t=$((c2 - c1)) -v hz="$HZ" -v s="$SECS" 'BEGIN { printf "%.2f", t / hz / s * 100 }')"
printf '%-44s %s bytes, %s series\n' "one scrape (text format)" "$bytes" "$n"
printf '%-44s p50 %s ms, p99 %s ms (%s scrapes, curl)\n' "scrape latency" "$p50" "$p99" "$SCRAPES"
printf '%-44s %s MiB\n' "exporter peak RSS" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
