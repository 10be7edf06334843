#!/usr/bin/env bash
# What recording adds to ctop-bpf's own CPU, live (make bench runs it;
# alone: tests/bench/record_live.sh). NCONT containers of the local test
# image, each holding PER sleeping processes. ctop-bpf -b -d 1, without and
# with -w, alternated ROUNDS times on the same containers, each measured
# for SECS after its first records. With -w the refresh also reads what
# only a recording needs of the processes (their bytes and command lines),
# and a record is written a second after the one before, with the caches
# as cold as a service's: record_bench's back-to-back records are not.
# Figures, not pass/fail.
set -u
cd "$(dirname "$0")/../.."
export OUT=${OUT:-.output} CTOP_BIN=${CTOP_BIN:-./ctop-bpf}
source tests/e2e/lib.sh
need_root
NCONT=${NCONT:-20}
PER=${PER:-25}
SECS=${SECS:-30}
ROUNDS=${ROUNDS:-3}
bench_start record

# pct ARGS...: ctop-bpf -b -d 1 with ARGS, its CPU in % of one core.
pct() {
	local c1 w1 c2 w2
	$CTOP_BIN -b -d 1 -f "$P" "$@" >/dev/null 2>"$TMP/err" &
	ctop=$!
	sleep 5
	c1=$(cpu_ns $ctop) w1=$(date +%s%N)
	sleep "$SECS"
	c2=$(cpu_ns $ctop) w2=$(date +%s%N)
	kill $ctop
	wait $ctop 2>/dev/null
	ctop=
	[ -s "$TMP/err" ] && sed 's/^/# stderr: /' "$TMP/err" >&2
	awk -v t=$((c2 - c1)) -v w=$((w2 - w1)) 'BEGIN { printf "%.3f", t / w * 100 }'
}

echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; CPU from /proc/PID/task/*/schedstat"
sum=0
for r in $(seq 1 "$ROUNDS"); do
	rm -f "$TMP"/rec*
	a=$(pct)
	b=$(pct -w "$TMP/rec")
	d=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')
	sum=$(awk -v s="$sum" -v d="$d" 'BEGIN { print s + d }')
	printf '%-44s %s%%, with -w %s%%: +%s%% of one core\n' "round $r: ctop-bpf -b -d 1" "$a" "$b" "$d"
done
# The last round's recording, replayed once: its records, and what the
# last one saw (containers and processes).
$CTOP_BIN --replay "$TMP/rec" -b -j >"$TMP/replay"
recs=$(wc -l <"$TMP/replay")
read -r ncont procs < <(tail -1 "$TMP/replay" |
	jq -r '"\(.containers | length) \([.containers[].pids] | add)"')
bytes=$(stat -c %s "$TMP/rec")
printf '%-44s %s containers, %s processes (target < 0.1%%)\n' \
	"recording adds $(awk -v s="$sum" -v n="$ROUNDS" 'BEGIN { printf "%.3f%%", s / n }') of one core for" "$ncont" "$procs"
printf '%-44s %s bytes per record (%s records), %s MiB per hour\n' "these containers recorded" \
	"$((bytes / recs))" "$recs" "$(awk -v b="$bytes" -v n="$recs" 'BEGIN { printf "%.2f", b / n * 3600 / 1048576 }')"
