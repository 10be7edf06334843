#!/usr/bin/env bash
# End to end against real Docker containers: the real binary in batch JSON
# mode, compared with the kernel's own accounting and with known workloads.
set -u
source tests/e2e/lib.sh
need_root
command -v jq >/dev/null || cannot_run "jq is not installed (make deps)"
start_docker
build_image || cannot_run "cannot build the test image"

P=ctope2e-$$
TMP=$(mktemp -d)
OUTF=$TMP/out.jsonl
CTOP=
cleanup() {
	[ -n "$CTOP" ] && kill "$CTOP" 2>/dev/null && wait "$CTOP" 2>/dev/null
	remove_containers "$P"
	rm -rf "$TMP"
}
trap cleanup EXIT


run_c idle "$IMAGE" /workload hold
run_c full "$IMAGE" /workload burn 600
run_c half --cpus 0.5 "$IMAGE" /workload burn 600
run_c io "$IMAGE" /workload rss 32 hold

"$CTOP_BIN" -b -j -p -d 0.5 >"$OUTF" 2>"$TMP/err" &
CTOP=$!

# field RECORD NAME JQ-PATH
field() { named "$1" "$P-$2" "$3"; }
# The cgroup's own CPU accounting in ns (v2 cpu.stat, present in every
# cgroup). The path is looked up once: `docker inspect` takes long enough
# to skew the window it is compared over.
declare -A CGDIR
for n in full half io; do
	for d in "/sys/fs/cgroup/unified/docker/$(cid $n)" "/sys/fs/cgroup/docker/$(cid $n)" \
		"/sys/fs/cgroup/system.slice/docker-$(cid $n).scope"; do
		[ -f "$d/cpu.stat" ] && CGDIR[$n]=$d && break
	done
done
cg_cpu_ns() { cgroup_cpu_ns "${CGDIR[$1]}"; }

sleep 1.2
r=$(next_record)
check "first records arrive" test -n "$r"
check "stderr stays empty" test ! -s "$TMP/err"
for n in idle full half io; do
	check "$n: listed with its full id" test "$(field "$r" $n .id)" = "$(cid $n)"
	check "$n: runtime docker, image from config.v2.json" \
		test "$(field "$r" $n '.runtime + " " + .image')" = "docker $IMAGE"
	check "$n: cgroup path" test "$(field "$r" $n .cgroup)" = "/docker/$(cid $n)"
done
check "record has every contract field" jq -e '
	(.time | type) == "number" and (.interval_s | type) == "number" and
	(.host | has("cpus") and has("cpu_pct") and has("mem_total_bytes") and has("lost_events")) and
	(.containers[0] | has("id") and has("name") and has("runtime") and has("image") and
	 has("cgroup") and has("pids") and has("cpu_pct") and has("rss_bytes") and
	 has("disk_read_Bps") and has("disk_write_Bps") and has("net_rx_Bps") and
	 has("net_tx_Bps") and has("cpu_ns_total") and has("disk_read_bytes_total") and
	 has("disk_write_bytes_total") and has("net_rx_bytes_total") and
	 has("net_tx_bytes_total") and has("processes")) and
	(.containers[0].processes[0] | has("pid") and has("ppid") and has("comm") and
	 has("cpu_pct") and has("rss_bytes") and has("disk_read_Bps") and
	 has("disk_write_Bps") and has("net_rx_Bps") and has("net_tx_Bps"))' <<<"$r" >/dev/null

# CPU: the same window, ours against the cgroup's own accounting.
r1=$(next_record)
f1=$(cg_cpu_ns full) h1=$(cg_cpu_ns half)
sleep 5
r2=$(next_record)
f2=$(cg_cpu_ns full) h2=$(cg_cpu_ns half)
secs=$(jq -n --argjson a "$(jq .time <<<"$r1")" --argjson b "$(jq .time <<<"$r2")" '$b - $a')
declare -A OURS
for n in full half; do
	a=$(field "$r1" $n .cpu_ns_total) b=$(field "$r2" $n .cpu_ns_total)
	if [ $n = full ]; then c1=$f1 c2=$f2; else c1=$h1 c2=$h2; fi
	OURS[$n]=$(awk -v a="$a" -v b="$b" -v s="$secs" 'BEGIN { print (b - a) / s / 1e7 }')
	theirs=$(awk -v a="$c1" -v b="$c2" -v s="$secs" 'BEGIN { print (b - a) / s / 1e7 }')
	echo "# $n: ours ${OURS[$n]}% cgroup ${theirs}% over ${secs}s"
	check "$n: cpu within 2 points of the cgroup's accounting" near "${OURS[$n]}" "$theirs" 2
done
# Other load may share the CPUs, so only the limit itself is certain. Over
# the long window: the quota is per 100 ms period, and a single short
# record may straddle two periods' runs.
check "half: --cpus 0.5 never shows over 52% over 5 s" \
	awk -v v="${OURS[half]}" 'BEGIN { exit !(v <= 52 && v > 5) }'
check "full: a busy loop shows over 20%" \
	awk -v v="${OURS[full]}" 'BEGIN { exit !(v > 20) }'
check "idle: shows under 1%" awk -v v="$(field "$r2" idle .cpu_pct)" 'BEGIN { exit !(v < 1) }'

# RSS: the sum of VmRSS of the container's processes.
vm=$(vmrss_sum "${CGDIR[io]}")
r=$(next_record)
echo "# io: rss $(field "$r" io .rss_bytes) VmRSS sum $vm"
check "io: rss within 2% of the VmRSS sum" within "$(field "$r" io .rss_bytes)" "$vm" 2

# IO through docker exec: the exec'd processes are the container's too.
d=$(delta_after "$P-io" .disk_write_bytes_total docker exec "$P-io" /workload write /tmp/f 67108864)
echo "# exec write: disk_write grew by $d"
check "exec write 64 MiB: disk_write_bytes_total grows by 64 MiB (0.5%)" within "$d" 67108864 0.5
a=$(field "$(next_record)" io '"\(.net_rx_bytes_total) \(.net_tx_bytes_total)"')
docker exec "$P-io" /workload tcp 33554432
next_record >/dev/null
b=$(field "$(next_record)" io '"\(.net_rx_bytes_total) \(.net_tx_bytes_total)"')
rx=$(($(cut -d' ' -f1 <<<"$b") - $(cut -d' ' -f1 <<<"$a")))
tx=$(($(cut -d' ' -f2 <<<"$b") - $(cut -d' ' -f2 <<<"$a")))
echo "# exec tcp: rx $rx tx $tx"
check "exec tcp 32 MiB: net_rx_bytes_total grows by 32 MiB (0.5%)" within "$rx" 33554432 0.5
check "exec tcp 32 MiB: net_tx_bytes_total grows by 32 MiB (0.5%)" within "$tx" 33554432 0.5
d=$(delta_after "$P-io" .disk_write_bytes_total docker exec "$P-io" /workload spawn 2000 4096 /tmp/s)
echo "# exec spawn: disk_write grew by $d"
check "2000 processes x 4096 bytes: disk_write grows by 8192000 (0.5%)" within "$d" 8192000 0.5
check "no lost events" test "$(jq .host.lost_events <<<"$(next_record)")" = 0

# Processes: -p lists them with their parents.
r=$(next_record)
check "io: its process is listed with comm workload" \
	test "$(field "$r" io '[.processes[].comm] | index("workload") != null')" = true
check "pids counts thread-group leaders" test "$(field "$r" io .pids)" = 1

# Containers come and go within a refresh.
run_c late "$IMAGE" /workload hold
next_record >/dev/null
r=$(next_record)
check "a new container appears within one refresh" test -n "$(field "$r" late .id)"
docker rm -f "$P-idle" >/dev/null
next_record >/dev/null
r=$(next_record)
check "a removed container disappears" test -z "$(field "$r" idle .id)"

# The cgroup figures (issue 9), against the cgroup's own files: a
# container at its memory and CPU limits, one OOM-killed, one stalled.
# A quota of 0.1 CPU is reached even while the other busy containers here
# share the two CPUs, so the burn is throttled.
run_c lim --memory 64m --memory-swap 64m --cpus 0.1 "$IMAGE" /workload rss 16 burn 600
run_c oom --memory 32m --memory-swap 32m "$IMAGE" sh -c '/workload rss 64; exec /workload hold'
run_c stall --cpuset-cpus 0 "$IMAGE" sh -c '/workload burn 600 & exec /workload burn 600'
# memory as docker stats counts it, from v2 or the v1 controller
cg_mem() {
	local id d
	id=$(cid "$1")
	for d in "/sys/fs/cgroup/docker/$id" "/sys/fs/cgroup/system.slice/docker-$id.scope"; do
		if [ -f "$d/memory.current" ]; then
			echo $(($(cat "$d/memory.current") - $(awk '/^inactive_file / { print $2 }' "$d/memory.stat")))
			return
		fi
	done
	d=/sys/fs/cgroup/memory/docker/$id
	echo $(($(cat "$d/memory.usage_in_bytes") - $(awk '/^total_inactive_file / { print $2 }' "$d/memory.stat")))
}
# PSI's avg10 takes seconds to rise: 8 s of a full stall make it about 55%.
for _ in $(seq 1 16); do next_record >/dev/null; done
r=$(next_record)
theirs=$(cg_mem lim)
echo "# lim: $(field "$r" lim '"mem \(.mem_bytes) limit \(.mem_limit_bytes) \(.mem_pct)% cpu limit \(.cpu_limit_pct) throttled \(.cpu_throttled_pct)% \(.cpu_throttled_s_total)s"') cgroup mem $theirs"
check "lim: mem_limit_bytes is --memory 64m" test "$(field "$r" lim .mem_limit_bytes)" = 67108864
check "lim: mem_bytes within 5% of the cgroup's usage less inactive file" \
	within "$(field "$r" lim .mem_bytes)" "$theirs" 5
check "lim: mem_pct is mem_bytes over the limit" \
	near "$(field "$r" lim .mem_pct)" "$(field "$r" lim '.mem_bytes / .mem_limit_bytes * 100')" 0.01
check "lim: cpu_limit_pct is --cpus 0.1" test "$(field "$r" lim .cpu_limit_pct)" = 10
check "lim: a busy loop at its quota is throttled in most periods" \
	awk -v v="$(field "$r" lim .cpu_throttled_pct)" 'BEGIN { exit !(v > 50 && v <= 100) }'
check "lim: throttled time grows" awk -v v="$(field "$r" lim .cpu_throttled_s_total)" 'BEGIN { exit !(v > 0) }'
check "lim: state running" test "$(field "$r" lim .state)" = running
check "full: no limits: mem_limit_bytes, mem_pct and cpu_limit_pct are null" \
	test "$(field "$r" full '[.mem_limit_bytes, .mem_pct, .cpu_limit_pct] | map(tostring) | join(",")')" = null,null,null
check "oom: the OOM killer's kill is counted" \
	awk -v v="$(field "$r" oom .oom_kills)" 'BEGIN { exit !(v >= 1) }'
check "oom: the container lives on, limited to 32 MiB" test "$(field "$r" oom .mem_limit_bytes)" = 33554432
check "lim: no OOM kill" test "$(field "$r" lim .oom_kills)" = 0
echo "# stall: $(field "$r" stall '"cpu \(.cpu_pct)% limit \(.cpu_limit_pct) psi cpu \(.psi_cpu_some)"')"
check "stall: a one-CPU cpuset is its CPU limit" test "$(field "$r" stall .cpu_limit_pct)" = 100
check "stall: two busy loops on one CPU stall each other (psi_cpu_some over 20%)" \
	awk -v v="$(field "$r" stall .psi_cpu_some)" 'BEGIN { exit !(v > 20) }'
# Paused: an idle container, for the freezer cannot stop a task that its
# CPU quota keeps from running, and runc gives up ("unable to freeze").
docker pause "$P-late" >/dev/null
next_record >/dev/null
check "docker pause shows as paused" test "$(field "$(next_record)" late .state)" = paused
docker unpause "$P-late" >/dev/null
next_record >/dev/null
check "unpaused, running again" test "$(field "$(next_record)" late .state)" = running
docker rm -f "$P-oom" >/dev/null
r=$(next_record)
[ -n "$(field "$r" oom .id)" ] || r=$(next_record)
check "oom: removed, it is shown once more as exited" test "$(field "$r" oom .state)" = exited
r=$(next_record)
check "oom: then it is gone" test -z "$(field "$r" oom .id)"
docker rm -f "$P-lim" "$P-stall" >/dev/null

kill "$CTOP"
wait "$CTOP"
check "SIGTERM ends batch mode with status 0" test $? -eq 0
CTOP=

# Filter, sort, host row, on fresh runs.
r=$("$CTOP_BIN" -b -j -n 1 -f "$P-HAL")
check "-f matches names case-insensitively" test "$(jq -r '[.containers[].name] | join(",")' <<<"$r")" = "$P-half"
r=$("$CTOP_BIN" -b -j -n 1 -f "$(cid io | cut -c1-12)")
check "-f matches ids" test "$(jq -r '[.containers[].name] | join(",")' <<<"$r")" = "$P-io"
r=$("$CTOP_BIN" -b -j -n 1 -f "$P" -s name)
check "-s name sorts A to Z" test "$(jq -r '[.containers[].name] | join(",")' <<<"$r")" = \
	"$P-full,$P-half,$P-io,$P-late"
r=$("$CTOP_BIN" -b -j -n 1 -f "$P" -s name -r)
check "-r reverses" test "$(jq -r '[.containers[].name] | join(",")' <<<"$r")" = \
	"$P-late,$P-io,$P-half,$P-full"
r=$("$CTOP_BIN" -b -j -n 2 -d 0.3 -f "$P" | tail -n 1)
check "-s cpu (default) sorts by cpu_pct, largest first" \
	jq -e '[.containers[].cpu_pct] as $v | $v == ($v | sort | reverse)' <<<"$r" >/dev/null
r=$("$CTOP_BIN" -b -j -n 1 -a -f "$P")
check "-a adds the [host] row, id host" test "$(jq -r '.containers[-1] | .id + " " + .name' <<<"$r")" = "host [host]"
t=$("$CTOP_BIN" -b -n 1 -f "$P")
check "table mode shows the header and the rows" \
	bash -c 'grep -q "^NAME .*CPU%.*RSS.*DISK R/s.*DISK W/s.*NET RX/s.*NET TX/s.*PIDS" <<<"$1" &&
		grep -q "^$2-full " <<<"$1"' _ "$t" "$P"

# No daemon is asked anything: with dockerd and containerd frozen (they
# answer nothing, the containers run on), ctop-bpf still shows the
# containers with their names from config.v2.json.
pkill -STOP -x dockerd
pkill -STOP -x containerd
r=$(timeout 20 "$CTOP_BIN" -b -j -n 1 -f "$P")
rc=$?
pkill -CONT -x containerd
pkill -CONT -x dockerd
check "with the daemons not answering: exits 0" test $rc -eq 0
check "with the daemons not answering: still names the containers" \
	test "$(jq -r '[.containers[].name] | sort | join(",")' <<<"$r")" = "$P-full,$P-half,$P-io,$P-late"

finish
