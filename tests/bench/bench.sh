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
make --no-print-directory -s $OUT/tests/bench_core || exit 1

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
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ns per operation of one run of KIND
micro() {
	case $1 in
	write) $W syscalls 1000000 write ;;
	getppid) $W syscalls 1000000 getppid ;;
	switch) $W pingpong 100000 ;;
	esac
}
# run_time_ns and run_cnt of our sys_exit program (kernel.bpf_stats_enabled)
prog_stats() {
	bpftool prog show name ctop_sys_exit 2>/dev/null |
		sed -n 's/.*run_time_ns \([0-9]*\) run_cnt \([0-9]*\).*/\1 \2/p'
}

echo "== Added cost of the probes (ns per operation, median of 7 interleaved rounds)"
# Rounds alternate without and with ctop-bpf, so drift in this VM's speed
# hits both sides alike. The program's own time per call comes from the
# kernel's BPF run-time statistics, which no timing noise touches.
stats_was=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
declare -A base with prog
for k in write getppid switch; do : >"/tmp/.bench-$k-base"; : >"/tmp/.bench-$k-with"; : >"/tmp/.bench-$k-prog"; done
for round in 1 2 3 4 5 6 7; do
	for k in write getppid switch; do micro $k >>"/tmp/.bench-$k-base"; done
	$CTOP_BIN -b -d 1 >/dev/null &
	ctop=$!
	sleep 0.5
	for k in write getppid switch; do
		read -r t0 n0 <<<"$(prog_stats)"
		micro $k >>"/tmp/.bench-$k-with"
		read -r t1 n1 <<<"$(prog_stats)"
		awk -v t=$((t1 - t0)) -v n=$((n1 - n0)) 'BEGIN { if (n) printf "%.1f\n", t / n }' \
			>>"/tmp/.bench-$k-prog"
	done
	kill $ctop
	wait $ctop 2>/dev/null
done
sysctl -qw kernel.bpf_stats_enabled="$stats_was"
printf '%-42s %9s %9s %9s %12s\n' operation without with added "our program"
for k in write getppid switch; do
	base[$k]=$(median <"/tmp/.bench-$k-base")
	with[$k]=$(median <"/tmp/.bench-$k-with")
	prog[$k]=$(median <"/tmp/.bench-$k-prog")
	case $k in
	write) label="traced IO call (1-byte pwrite to a file)" ;;
	getppid) label="untraced system call (getppid)" ;;
	switch) label="context switch (pipe ping-pong)" ;;
	esac
	printf '%-42s %9.1f %9.1f %9.1f %12s\n' "$label" "${base[$k]}" "${with[$k]}" \
		"$(awk -v a="${with[$k]}" -v b="${base[$k]}" 'BEGIN { print a - b }')" "${prog[$k]}/call"
	rm -f "/tmp/.bench-$k-base" "/tmp/.bench-$k-with" "/tmp/.bench-$k-prog"
done
echo "(a context switch here is 2 traced pipe calls and no probe of ours: we"
echo " do not hook sched_switch; 'our program' is per system call)"
echo

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
remove_containers "$P"
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
