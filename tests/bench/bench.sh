#!/usr/bin/env bash
# make bench: what ctop-bpf costs, printed beside what `docker stats` costs
# for the same containers over the same time. Figures, not pass/fail.
set -u
cd "$(dirname "$0")/../.."
export OUT=.output CTOP_BIN=./ctop-bpf
source tests/e2e/lib.sh
need_root
start_docker
build_image || exit 1
W=$OUT/tests/workload
make --no-print-directory -s $OUT/tests/bench_core $OUT/tests/record_bench || exit 1

P=ctopbench
NCONT=${NCONT:-20}
SECS=${SECS:-30}
HZ=$(getconf CLK_TCK)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	remove_containers "$P"
}
trap cleanup EXIT

# CPU ticks (user + system) of a pid, of its threads included.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
ticks_of() { local t=0 p; for p in "$@"; do t=$((t + $(ticks "$p"))); done; echo $t; }
pct() { awk -v t="$1" -v hz="$HZ" -v s="$2" 'BEGIN { printf "%.2f", t / hz / s * 100 }'; }
echo "== Added cost per system call, by probe choice (ns, median of 7 interleaved rounds)"
# auto: the cheapest this kernel allows; the syscall row is the fallback
# every kernel has; light attaches nothing on the system-call path.
sh tests/bench/probes.sh "$CTOP_BIN" "$W" 7 auto net=syscall,file=syscall light
echo
# fexit needs a kernel that allows it: the same rounds inside a
# kernel-matrix guest where it does (BENCH_GUEST=, empty, skips it).
if [ -n "${BENCH_GUEST-6.1}" ]; then
	echo "== The same inside Debian's ${BENCH_GUEST-6.1} kernel in QEMU, median of 7 interleaved rounds"
	echo "(QEMU's TCG emulates that CPU: its ns are not a real machine's, compare the shares)"
	bash tests/kernels/run.sh --bench 7 "${BENCH_GUEST-6.1}" | grep -v '^# the host'
	echo
fi

echo "== First record after start (5 runs, ms from exec to the first line)"
for i in 1 2 3 4 5; do
	s=$(date +%s%N)
	{ read -r _; e=$(date +%s%N); } < <($CTOP_BIN -b -j -n 1)
	wait
	printf '%d ' $(((e - s) / 1000000))
done
echo
echo

echo "== $NCONT busy containers, $((NCONT * 25)) processes, ${SECS} s at 1 s refresh"
for i in $(seq 1 "$NCONT"); do
	docker run -d --network none --name "$P-$i" "$IMAGE" /workload sleepers 24 churn 5 >/dev/null
done
sleep 3
daemons=$(pgrep -d ' ' -x 'dockerd|containerd')
$CTOP_BIN -b -j -d 1 >/dev/null &
ctop=$!
PIDS+=($ctop)
sleep 2
c1=$(ticks $ctop) d1=$(ticks_of $daemons)
sleep "$SECS"
c2=$(ticks $ctop) d2=$(ticks_of $daemons)
rss=$(awk '/^VmHWM/ { print $2 }' /proc/$ctop/status)
kill $ctop
ctop_pct=$(pct $((c2 - c1)) "$SECS")
idle_daemons=$(pct $((d2 - d1)) "$SECS")

docker stats --format '{{.Name}} {{.CPUPerc}} {{.MemUsage}}' >/dev/null &
stats=$!
PIDS+=($stats)
sleep 2
s1=$(ticks $stats) d1=$(ticks_of $daemons)
sleep "$SECS"
s2=$(ticks $stats) d2=$(ticks_of $daemons)
kill $stats
cli_pct=$(pct $((s2 - s1)) "$SECS")
daemon_pct=$(awk -v a="$(pct $((d2 - d1)) "$SECS")" -v b="$idle_daemons" 'BEGIN { printf "%.2f", a - b }')
total_stats=$(awk -v a="$cli_pct" -v b="$daemon_pct" 'BEGIN { printf "%.2f", a + b }')

printf '%-44s %s%% of one core\n' "ctop-bpf CPU (user + system)" "$ctop_pct"
printf '%-44s %s MiB\n' "ctop-bpf peak RSS" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '%-44s %s%% of one core\n' "docker stats CLI" "$cli_pct"
printf '%-44s %s%% of one core\n' "dockerd + containerd, extra while it runs" "$daemon_pct"
printf '%-44s %s%% of one core\n' "docker stats in all" "$total_stats"
printf '%-44s %s\n' "docker stats / ctop-bpf" \
	"$(awk -v a="$total_stats" -v b="$ctop_pct" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "n/a" }')"
echo
echo "== Recording (-w) these busy containers live: ctop-bpf -b -d 1 without and with -w"
P=$P SECS=$SECS bash tests/bench/record_live.sh
echo
remove_containers "$P"
echo "== --export: 100 containers of 10 processes, 1 s refresh, scraped every second"
bash tests/bench/export.sh
echo

echo "== One refresh of the core (read maps, aggregate, sort)"
$OUT/tests/bench_core synthetic 10000
$W sleepers 10000 hold &
holder=$!
PIDS+=($holder)
for _ in $(seq 1 100); do
	[ "$(pgrep -c -P $holder)" -ge 10000 ] && break
	sleep 0.2
done
$OUT/tests/bench_core live
pkill -P $holder
kill $holder
echo

# A made-up host (tests/snap_synth.h), so the figures do not depend on the
# containers running here. RECORD_HOURS shortens the long recording, which
# takes about 0.5 GB in /tmp for the time it runs.
echo "== Recording (-w): 20 containers, 500 processes, at 1 s refresh"
$OUT/tests/record_bench 20 500 "${RECORD_HOURS:-24}" 5
echo "-- the same with one busy process per container"
$OUT/tests/record_bench 20 500 1 25
echo "-- live: ctop-bpf -b -d 1 without and with -w, 20 idle containers of 25 processes"
bash tests/bench/record_live.sh
