# Shared by the end-to-end tests: a tiny TAP-like harness, dockerd, and
# the local test image. Source it; it expects the repo root as cwd.

E2E_PASS=0
E2E_FAIL=0
CTOP_BIN=${CTOP_BIN:-./ctop-bpf}
OUT=${OUT:-.output}
IMAGE=ctoptest:latest

ok() { E2E_PASS=$((E2E_PASS + 1)); echo "ok - $*"; }
not_ok() { E2E_FAIL=$((E2E_FAIL + 1)); echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
finish() { echo "$E2E_PASS passed, $E2E_FAIL failed"; [ "$E2E_FAIL" -eq 0 ]; }

# A test that cannot run here: a failure under CI, a skip elsewhere.
cannot_run() {
	if [ "${CI:-}" = true ]; then
		echo "not ok - $* (CI=true: a skip is a failure)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "skip - $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

need_root() { [ "$(id -u)" -eq 0 ] || cannot_run "needs root"; }

# Starts dockerd the way DESIGN.md says works here, unless one answers.
start_docker() {
	command -v docker >/dev/null || cannot_run "docker is not installed (make deps)"
	docker info >/dev/null 2>&1 && return 0
	# A daemon still shutting down holds its pid file: let it finish.
	for _ in $(seq 1 120); do pgrep -x dockerd >/dev/null || break; sleep 0.25; done
	(dockerd --iptables=false --bridge=none >>/var/log/dockerd.log 2>&1 &)
	for _ in $(seq 1 60); do
		docker info >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	cannot_run "dockerd did not start (see /var/log/dockerd.log)"
}

# busybox and our static workload, imported: no registry is reachable.
build_image() {
	local dir workload=$OUT/tests/workload
	[ -x "$workload" ] || { echo "missing $workload: run make tests-build" >&2; return 1; }
	if docker image inspect "$IMAGE" >/dev/null 2>&1 &&
		docker run --rm --network none "$IMAGE" /workload 2>/dev/null; then
		# The image exists and has the workload; refresh it only if ours changed.
		local have
		have=$(docker run --rm --network none "$IMAGE" md5sum /workload | cut -d' ' -f1)
		[ "$have" = "$(md5sum "$workload" | cut -d' ' -f1)" ] && return 0
	fi
	dir=$(mktemp -d)
	mkdir -p "$dir/bin" "$dir/tmp" "$dir/data"
	cp /bin/busybox "$dir/bin/busybox"
	for a in $("$dir/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$dir/bin/$a"
	done
	cp "$workload" "$dir/workload"
	tar -C "$dir" -c . | docker import - "$IMAGE" >/dev/null
	rm -rf "$dir"
}

# Removes every container whose name starts with $1.
remove_containers() {
	local ids
	ids=$(docker ps -aq --filter "name=^$1" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
	return 0
}

# bench_containers PREFIX N PER: N containers PREFIX-1... of the test image,
# each holding PER sleeping processes (PER - 1 background sleeps and the one
# the shell becomes), for the benches.
bench_containers() {
	local s
	s=$(date +%s)
	seq 1 "$2" | xargs -P 4 -I{} docker run -d --network none --name "$1-{}" "$IMAGE" \
		sh -c "for i in \$(seq 2 $3); do sleep 1d & done; exec sleep 1d" >/dev/null
	echo "# $2 containers started in $(($(date +%s) - s)) s"
}

# Removes the containers of remove_containers PREFIX, trying again: a loaded
# dockerd may kill them and fail to remove them.
remove_bench_containers() {
	for _ in 1 2 3; do
		[ -n "$(docker ps -aq --filter "name=^$1-")" ] || break
		remove_containers "$1-"
		sleep 2
	done
}

# bench_start NAME: a bench's setup. TMP is a new folder /tmp/ctop-bench-NAME.*
# and $ctop the pid of the ctop-bpf under test, if one runs: both go at exit.
# Unless P names running containers, NCONT containers of PER processes
# (bench_containers) are started as P, and removed at exit.
bench_start() {
	TMP=$(mktemp -d "/tmp/ctop-bench-$1.XXXXXX")
	bench_own=false ctop=
	trap bench_cleanup EXIT
	if [ -z "${P:-}" ]; then
		start_docker
		build_image || exit 1
		P=ctopbench$1-$$ bench_own=true
		bench_containers "$P" "$NCONT" "$PER"
	fi
}
bench_cleanup() {
	[ -n "$ctop" ] && kill "$ctop" 2>/dev/null && wait "$ctop" 2>/dev/null
	$bench_own && remove_bench_containers "$P"
	rm -rf "$TMP"
	return 0
}

# cpu_ns PID: its threads' time on a CPU so far, in ns (exact, where
# /proc/PID/stat's clock ticks are 10 ms).
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }

# run_c NAME ARGS...: a detached container $P-NAME without network, of
# docker run's ARGS; cid NAME: its full id.
run_c() { docker run -d --network none --name "$P-$1" "${@:2}" >/dev/null; }
cid() { docker inspect -f '{{.Id}}' "$P-$1"; }

# Waits for the next complete record in $OUTF (ctop-bpf -b -j writing
# there) and prints it.
next_record() {
	local n
	n=$(wc -l <"$OUTF")
	for _ in $(seq 1 500); do
		[ "$(wc -l <"$OUTF")" -gt "$n" ] && break
		sleep 0.01
	done
	tail -n 1 "$OUTF"
}
# within A B PCT: |A - B| <= PCT% of B
within() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b * p / 100) }'; }
# near A B PTS: |A - B| <= PTS
near() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= p) }'; }
# vmrss_sum DIR: the VmRSS of every process in cgroup DIR and the cgroups
# below it, summed, in bytes
vmrss_sum() {
	local pid kb vm=0
	for pid in $(find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null); do
		kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		vm=$((vm + ${kb:-0} * 1024))
	done
	echo "$vm"
}
# named RECORD NAME JQ-PATH: the field of the row named NAME
named() { jq -r --arg n "$2" ".containers[] | select(.name == \$n) | $3" <<<"$1"; }
# delta_after NAME FIELD COMMAND...: how much the row NAME's FIELD grew in
# the records of $OUTF while COMMAND ran (one whole record after it ends)
delta_after() {
	local name=$1 fld=$2 a b
	shift 2
	a=$(named "$(next_record)" "$name" "$fld")
	"$@" >/dev/null || echo "# command failed: $*" >&2
	next_record >/dev/null
	b=$(named "$(next_record)" "$name" "$fld")
	echo $((${b:-0} - ${a:-0}))
}
# The CPU time a cgroup v2 folder accounts (cpu.stat, in every cgroup), in ns.
cgroup_cpu_ns() { awk '/^usage_usec/ { printf "%.0f\n", $2 * 1000 }' "$1/cpu.stat"; }
# The cgroup v2 mount: /sys/fs/cgroup/unified on hybrid hosts.
cgroup2_root() {
	local d
	for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
		[ -f "$d/cgroup.procs" ] && [ "$(stat -f -c %T "$d")" = cgroup2fs ] && echo "$d" && return
	done
}

# For the tmux tests, which define screen() (the pane's text) first.
# wait_for TEXT [SECONDS]: the screen shows TEXT
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# wait_gone TEXT [SECONDS]: the screen no longer shows TEXT
wait_gone() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
	done
	return 1
}

# A Prometheus of the test's own, on 127.0.0.1:$PROM, with the config in
# $TMP/prom.yml and its storage in $TMP/data; PROMPID is its pid.
start_prometheus() {
	prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/data" \
		--web.listen-address=127.0.0.1:$PROM >"$TMP/prom.log" 2>&1 &
	PROMPID=$!
}

# q EXPR [TIME]: the first value of an instant query to that Prometheus, or "".
q() {
	curl -s --max-time 5 "http://127.0.0.1:$PROM/api/v1/query" --data-urlencode "query=$1" \
		${2:+--data-urlencode "time=$2"} | jq -r '.data.result[0].value[1] // empty'
}
