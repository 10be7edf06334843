#!/usr/bin/env bash
# End to end for --export: a Prometheus of the test's own scrapes the real
# binary every second, and the numbers are checked through its HTTP query
# API against the cgroups' own accounting and known workloads (CPU, bytes,
# limits, an OOM kill, CPU pressure, start times, -p's per-process
# series); then the HTTP side directly with curl (paths, methods, Accept,
# HEAD, slow and huge requests), a busy port, and SIGTERM.
set -u
source tests/e2e/lib.sh
need_root
for t in jq curl prometheus promtool; do
	command -v $t >/dev/null || cannot_run "$t is not installed (make deps-test)"
done
start_docker
build_image || cannot_run "cannot build the test image"

P=ctopexp-$$
TMP=$(mktemp -d)
# Ports of our own, away from the usual ones.
EXP=$((20000 + $$ % 5000))
PROM=$((EXP + 5000))
CTOP= PROMPID=
cleanup() {
	[ -n "$CTOP" ] && kill "$CTOP" 2>/dev/null && wait "$CTOP" 2>/dev/null
	[ -n "$PROMPID" ] && kill "$PROMPID" 2>/dev/null && wait "$PROMPID" 2>/dev/null
	remove_containers "$P"
	rm -rf "$TMP"
}
trap cleanup EXIT


run_c full "$IMAGE" /workload burn 600
run_c half --cpus 0.5 --memory 256m "$IMAGE" /workload burn 600
run_c io "$IMAGE" /workload hold
# Kubernetes on cri-dockerd, as the kubelet would run it: a pod's cgroup
# and the kubelet's labels.
run_c kpod --cgroup-parent /kubepods/besteffort/pod6b1f2e3a-9c4d-4e5f-8a7b-0000$(printf %08x $$) \
	--label io.kubernetes.pod.name=web-7d9 --label io.kubernetes.pod.namespace=prod \
	--label io.kubernetes.container.name="$P-app" "$IMAGE" /workload hold

# -p: the per-process series too (only our containers' few processes, by -f)
"$CTOP_BIN" --export 127.0.0.1:$EXP -d 0.25 -f "$P" -p 2>"$TMP/err" &
CTOP=$!
cat >"$TMP/prom.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: ctop
    static_configs:
      - targets: ['127.0.0.1:$EXP']
YML
start_prometheus
for _ in $(seq 1 120); do
	[ "$(q 'up{job="ctop"}')" = 1 ] && break
	sleep 0.5
done
check "Prometheus scrapes the exporter (up == 1)" test "$(q 'up{job="ctop"}')" = 1
check "stderr stays empty" test ! -s "$TMP/err"
check "the scrape is OpenMetrics (Prometheus asks for it)" \
	bash -c "curl -s -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
		http://127.0.0.1:$EXP/metrics | tail -n 1 | grep -qx '# EOF'"

# Labels as cAdvisor's.
lab=$(curl -s "http://127.0.0.1:$PROM/api/v1/query" \
	--data-urlencode "query=container_cpu_usage_seconds_total{name=\"$P-io\"}" |
	jq -r '.data.result[0].metric | "\(.id) \(.name) \(.image)"')
check "labels id, name, image as cAdvisor's" test "$lab" = "/docker/$(cid io) $P-io $IMAGE"
lab=$(curl -s "http://127.0.0.1:$PROM/api/v1/query" \
	--data-urlencode "query=container_memory_rss{name=\"$P-app\"}" |
	jq -r '.data.result[0].metric | "\(.namespace) \(.pod) \(.container) \(.id)"')
check "Kubernetes: namespace, pod and container labels ($lab)" \
	test "$lab" = "prod web-7d9 $P-app /kubepods/besteffort/pod6b1f2e3a-9c4d-4e5f-8a7b-0000$(printf %08x $$)/$(cid kpod)"
check "-f: only matching containers are exported" \
	test "$(q "count(container_memory_rss{name!~\"$P-.*\"})")" = ""

declare -A CGDIR
for n in full half; do
	for d in "/sys/fs/cgroup/unified/docker/$(cid $n)" "/sys/fs/cgroup/docker/$(cid $n)" \
		"/sys/fs/cgroup/system.slice/docker-$(cid $n).scope"; do
		[ -f "$d/cpu.stat" ] && CGDIR[$n]=$d && break
	done
done

# CPU: rate() over the last 5 s against the cgroup's own usage between the
# same two scrapes. The cgroup is sampled every 50 ms meanwhile and read
# at the scrapes' timestamps, so that a share of the CPU that moves with
# the machine's load is compared over the same time on both sides (our
# refresh is 0.25 s: the samples lag the cgroup by at most that much).
for n in full half; do
	(while :; do
		echo "$(date +%s.%N) $(awk '/^usage_usec/ { print $2 / 1e6 }' "${CGDIR[$n]}/cpu.stat")"
		sleep 0.05
	done) >"$TMP/cg.$n" 2>/dev/null &
	SAMPLERS="${SAMPLERS:-} $!"
done
sleep 8
t=$(date +%s.%N)
sleep 1.5	# the scrape that covers t has been stored
kill $SAMPLERS 2>/dev/null
wait $SAMPLERS 2>/dev/null
# cg_at FILE TIME: the cgroup's usage (s) at TIME, interpolated.
cg_at() {
	awk -v t="$2" '$1 <= t { t0 = $1; v0 = $2 } $1 > t && !done { t1 = $1; v1 = $2; done = 1 }
		END { if (!done || t1 == t0) print v0; else print v0 + (v1 - v0) * (t - t0) / (t1 - t0) }' "$1"
}
for n in full half; do
	win=$(curl -s "http://127.0.0.1:$PROM/api/v1/query" --data-urlencode "time=$t" \
		--data-urlencode "query=container_cpu_usage_seconds_total{name=\"$P-$n\"}[5s]" |
		jq -r '.data.result[0].values | "\(.[0][0]) \(.[-1][0])"')
	a=$(cg_at "$TMP/cg.$n" "${win% *}") b=$(cg_at "$TMP/cg.$n" "${win#* }")
	theirs=$(awk -v a="$a" -v b="$b" -v w="$win" 'BEGIN { split(w, x, " "); print (b - a) / (x[2] - x[1]) * 100 }')
	ours=$(q "rate(container_cpu_usage_seconds_total{name=\"$P-$n\"}[5s])" "$t")
	ours=$(awk -v v="${ours:-nan}" 'BEGIN { print v * 100 }')
	echo "# $n: rate() ${ours}% cgroup ${theirs}% between the scrapes at $win"
	check "$n: rate(container_cpu_usage_seconds_total[5s]) within 2 points of the cgroup" \
		near "$ours" "$theirs" 2
done
check "half: --cpus 0.5 never over 52%" \
	awk -v v="$(q "rate(container_cpu_usage_seconds_total{name=\"$P-half\"}[5s])" "$t")" \
	'BEGIN { exit !(v <= 0.52 && v > 0.05) }'
# -p: the full container's one process is all its CPU.
pr=$(q "rate(ctop_process_cpu_seconds_total{name=\"$P-full\",comm=\"workload\"}[5s])" "$t")
cr=$(q "rate(container_cpu_usage_seconds_total{name=\"$P-full\"}[5s])" "$t")
echo "# full: its process ${pr} CPUs, the container ${cr}"
check "-p: rate(ctop_process_cpu_seconds_total[5s]) of full's process within 2 points of the container's" \
	near "$(awk -v v="${pr:-nan}" 'BEGIN { print v * 100 }')" "$(awk -v v="${cr:-nan}" 'BEGIN { print v * 100 }')" 2

# OOM and pressure, started only now so that the CPU figures above share
# the machine with nothing of ours: the OOM kill comes later, once
# Prometheus holds the counter at 0 (increase() counts from a first
# sample); two busy loops on one CPU stall each other.
run_c oom --memory 32m --memory-swap 32m "$IMAGE" /workload hold
run_c stall --cpuset-cpus 0 "$IMAGE" sh -c '/workload burn 600 & exec /workload burn 600'
STALL_AT=$(date +%s)

# The limits and the CFS series cAdvisor has, as kubernetes-mixin's
# CPUThrottlingHigh reads them.
check "half: container_spec_memory_limit_bytes is --memory 256m" \
	test "$(q "container_spec_memory_limit_bytes{name=\"$P-half\"}")" = 268435456
check "half: container_spec_cpu_quota and _period are --cpus 0.5's" \
	test "$(q "container_spec_cpu_quota{name=\"$P-half\"}") $(q "container_spec_cpu_period{name=\"$P-half\"}")" = "50000 100000"
check "full: no limit, so no container_spec_memory_limit_bytes series" \
	test -z "$(q "container_spec_memory_limit_bytes{name=\"$P-full\"}")"
thr=$(q "increase(container_cpu_cfs_throttled_periods_total{name=\"$P-half\"}[5s]) / increase(container_cpu_cfs_periods_total{name=\"$P-half\"}[5s])")
echo "# half: throttled share of CFS periods over 5 s: $thr"
check "half: the CPUThrottlingHigh ratio is a share of periods" \
	awk -v v="${thr:-nan}" 'BEGIN { exit !(v >= 0 && v <= 1) }'
check "half: CFS periods are counted" \
	awk -v v="$(q "container_cpu_cfs_periods_total{name=\"$P-half\"}")" 'BEGIN { exit !(v > 10) }'

# counter NAME: the value Prometheus has now for the io container.
counter() { q "$1{name=\"$P-io\"}"; }
settle() { sleep 2.5; }	# two scrapes after the work: the value is stored
delta() { # METRIC COMMAND...: how much METRIC grew while COMMAND ran
	local m=$1 a b
	shift
	a=$(counter "$m")
	"$@" >/dev/null 2>&1 || echo "# command failed: $*" >&2
	settle
	b=$(counter "$m")
	awk -v a="${a:-nan}" -v b="${b:-nan}" 'BEGIN { printf "%.0f\n", b - a }'
}
settle
fs1=$(counter container_fs_writes_bytes_total)
dw=$(delta ctop_disk_write_bytes_total docker exec "$P-io" dd if=/dev/zero of=/tmp/f bs=65536 \
	count=1024 conv=fsync)
fs2=$(counter container_fs_writes_bytes_total)
fs=$(awk -v a="${fs1:-nan}" -v b="${fs2:-nan}" 'BEGIN { printf "%.0f\n", b - a }')
echo "# 64 MiB fsync'ed: ctop_disk_write_bytes_total +$dw, container_fs_writes_bytes_total +$fs"
check "64 MiB fsync'ed: ctop_disk_write_bytes_total grows by 64 MiB (0.5%)" within "$dw" 67108864 0.5
check "64 MiB fsync'ed: container_fs_writes_bytes_total grows by at least 64 MiB" \
	awk -v v="$fs" 'BEGIN { exit !(v >= 67108864 && v < 2 * 67108864) }'
inc=$(q "increase(ctop_disk_write_bytes_total{name=\"$P-io\"}[20s])")
check "increase(ctop_disk_write_bytes_total[20s]) sees the 64 MiB" \
	awk -v v="${inc:-0}" 'BEGIN { exit !(v >= 0.9 * 67108864) }'
a=$(counter container_network_receive_bytes_total) b=$(counter container_network_transmit_bytes_total)
docker exec "$P-io" /workload tcp 33554432 >/dev/null
settle
rx=$(awk -v a="${a:-nan}" -v b="$(counter container_network_receive_bytes_total)" 'BEGIN { printf "%.0f", b - a }')
tx=$(awk -v a="${b:-nan}" -v b="$(counter container_network_transmit_bytes_total)" 'BEGIN { printf "%.0f", b - a }')
echo "# 32 MiB over loopback TCP: rx +$rx tx +$tx"
check "32 MiB over TCP: container_network_receive_bytes_total (0.5%)" within "$rx" 33554432 0.5
check "32 MiB over TCP: container_network_transmit_bytes_total (0.5%)" within "$tx" 33554432 0.5
# The OOM killer in a container whose main process lives on (as docker.sh does).
check "oom: Prometheus has container_oom_events_total at 0 first" \
	test "$(q "container_oom_events_total{name=\"$P-oom\"}")" = 0
docker exec "$P-oom" /workload rss 64 >/dev/null 2>&1
settle
oom=$(q "increase(container_oom_events_total{name=\"$P-oom\"}[15s])")
echo "# oom: increase(container_oom_events_total[15s]) = $oom"
check "oom: increase(container_oom_events_total[15s]) >= 1 after a kill inside" \
	awk -v v="${oom:-0}" 'BEGIN { exit !(v >= 1) }'
check "oom: the container's main process lives on" test "$(q "container_processes{name=\"$P-oom\"}")" = 1
# PSI's avg10 needs some seconds of stall to build up.
while [ $(($(date +%s) - STALL_AT)) -lt 12 ]; do sleep 1; done
psi=$(q "ctop_psi_cpu_some_ratio{name=\"$P-stall\"}")
echo "# stall: ctop_psi_cpu_some_ratio = $psi after $(($(date +%s) - STALL_AT)) s"
check "stall: two busy loops on one CPU: ctop_psi_cpu_some_ratio over 0.2" \
	awk -v v="${psi:-0}" 'BEGIN { exit !(v > 0.2) }'
check "stall: ctop_psi_memory_some_ratio and ctop_psi_io_some_ratio are there" \
	test -n "$(q "ctop_psi_memory_some_ratio{name=\"$P-stall\"}")" -a \
	-n "$(q "ctop_psi_io_some_ratio{name=\"$P-stall\"}")"
docker rm -f "$P-stall" >/dev/null

# Start and last-seen times against the runtime's and the clock's.
for n in io oom; do
	started=$(date -d "$(docker inspect -f '{{.State.StartedAt}}' "$P-$n")" +%s.%N)
	st=$(q "container_start_time_seconds{name=\"$P-$n\"}")
	echo "# $n: container_start_time_seconds $st, docker's StartedAt $started"
	# its first process forks before runc reports the start: a little
	# earlier, more so on a loaded machine
	check "$n: container_start_time_seconds within 3 s of docker's StartedAt" near "${st:-0}" "$started" 3
done
ls=$(q "container_last_seen{name=\"$P-io\"}")
check "container_last_seen within 3 s of now ($ls)" near "${ls:-0}" "$(date +%s.%N)" 3
check "-p: ctop_process_start_time_seconds of io's process is the container's start" \
	near "$(q "ctop_process_start_time_seconds{name=\"$P-io\"}")" "$(q "container_start_time_seconds{name=\"$P-io\"}")" 0.001
# A process that is gone leaves the next scrape.
docker exec -d "$P-io" sleep 60
sleep 1
sp=$(curl -s "http://127.0.0.1:$EXP/metrics" | sed -n "s/^ctop_process_threads{.*name=\"$P-io\".*pid=\"\([0-9]*\)\",comm=\"sleep\"} 1\$/\1/p")
check "-p: a new process has its series (pid $sp)" test -n "$sp"
kill "$sp"	# a host pid: the exporter labels processes as the host sees them
sleep 1
check "-p: a process that is gone is absent from the next scrape" \
	bash -c "! curl -s http://127.0.0.1:$EXP/metrics | grep -q 'pid=\"$sp\"'"

# resets() of each counter family over the whole run (one family at a time:
# resets() drops the name, and families would collide).
bad=
for fam in $(curl -s "http://127.0.0.1:$EXP/metrics" | awk '$1 == "#" && $2 == "TYPE" && $4 == "counter" { print $3 }'); do
	r=$(q "sum(resets($fam{job=\"ctop\"}[2m]))")
	[ "$r" = 0 ] || [ -z "$(q "$fam{job=\"ctop\"}")" ] || bad="$bad $fam=$r"
done
check "no counter went backwards over the run (resets() is 0 for each family)${bad:+:$bad}" \
	test -z "$bad"
check "container_processes counts the io container's one process" \
	test "$(counter container_processes)" = 1
check "ctop_build_info carries the version" \
	test "$(q 'ctop_build_info' | head -1)" = 1
check "ctop_self_cpu_seconds_total is there" test -n "$(q ctop_self_cpu_seconds_total)"
check "ctop_self_rss_bytes is over 1 MiB" \
	awk -v v="$(q ctop_self_rss_bytes)" 'BEGIN { exit !(v > 1048576) }'
check "no lost events" test "$(q ctop_lost_events_total)" = 0

# promtool on a text-format scrape and an OpenMetrics one.
curl -s "http://127.0.0.1:$EXP/metrics" >"$TMP/scrape.prom"
promtool check metrics <"$TMP/scrape.prom" >"$TMP/promtool.out" 2>&1
rc=$?
# Exit 3 is lint only (e.g. "counter metrics should have _total"); say what it found.
sed 's/^/# promtool: /' "$TMP/promtool.out" | head -5
check "promtool check metrics: no error on a scrape" test $rc -eq 0

# HTTP: paths, methods, negotiation, HEAD.
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
U=http://127.0.0.1:$EXP
check "GET / is 200 and links to /metrics" bash -c "curl -s $U/ | grep -q 'href=\"/metrics\"'"
check "GET /nope is 404" test "$(code $U/nope)" = 404
check "POST /metrics is 405 with Allow: GET, HEAD" \
	bash -c "curl -si -X POST $U/metrics | grep -qi '^Allow: GET, HEAD'"
check "DELETE / is 405" test "$(code -X DELETE $U/)" = 405
ct=$(curl -s -o /dev/null -w '%{content_type}' $U/metrics)
check "default Content-Type is text/plain; version=0.0.4" \
	bash -c "grep -q '^text/plain; version=0.0.4' <<<'$ct'"
ct=$(curl -s -o /dev/null -w '%{content_type}' -H 'Accept: application/openmetrics-text' $U/metrics)
check "Accept: application/openmetrics-text gives OpenMetrics 1.0" \
	bash -c "grep -q '^application/openmetrics-text; version=1.0.0' <<<'$ct'"
check "text format has no # EOF" bash -c "! grep -q '^# EOF' $TMP/scrape.prom"
check "q=0 for OpenMetrics is refused: text" bash -c "curl -s -H 'Accept: application/openmetrics-text;q=0, text/plain' $U/metrics | grep -vq '# EOF'; ! curl -s -H 'Accept: application/openmetrics-text;q=0' $U/metrics | grep -q '^# EOF'"
h=$(curl -sI $U/metrics)
check "HEAD /metrics: 200, a Content-Length, no body" \
	bash -c "grep -q '^HTTP/1.1 200' <<<'$h' && grep -qi '^Content-Length: [1-9]' <<<'$h'"

# Robustness: stalled half requests (slowloris), a huge header, many scrapers.
rss0=$(awk '/^VmRSS/ { print $2 }' /proc/$CTOP/status)
fds=()
for i in $(seq 1 20); do
	exec {fd}<>/dev/tcp/127.0.0.1/$EXP
	printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&$fd
	fds+=("$fd")
done
good=0
for i in $(seq 1 10); do
	[ "$(code --max-time 2 $U/metrics)" = 200 ] && good=$((good + 1))
	sleep 0.2
done
check "20 stalled connections: 10 of 10 scrapes still succeed" test $good -eq 10
sleep 6.5	# past the idle timeout (5 s)
closed=0
for fd in "${fds[@]}"; do
	timeout 1 cat <&$fd >/dev/null 2>&1 && closed=$((closed + 1))
	exec {fd}>&-
done
check "stalled connections are closed after the timeout ($closed of 20)" test $closed -eq 20
big=$(head -c 100000 /dev/zero | tr '\0' a)
c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "X-Big: $big" $U/metrics)
check "a 100 kB header is refused with a 4xx (status $c)" bash -c "[[ '$c' == 4?? ]]"
c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$U/metrics?$big")
check "a 100 kB request line is refused with a 4xx (status $c)" bash -c "[[ '$c' == 4?? ]]"
check "still serving after them" test "$(code $U/metrics)" = 200
(for i in $(seq 1 40); do { code $U/metrics; echo; } >"$TMP/par.$i" & done; wait)
check "40 concurrent scrapes all get 200" \
	test "$(cat "$TMP"/par.* | grep -c '^200$')" = 40
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$CTOP/status)
echo "# exporter VmRSS ${rss0} kB before the abuse, ${rss} kB after"
check "memory stays bounded (VmRSS grew by under 16 MiB)" test $((rss - rss0)) -lt 16384

# A container that is gone disappears from the next scrape.
docker rm -f "$P-half" >/dev/null
sleep 1
check "a removed container disappears from the next scrape" \
	bash -c "! curl -s $U/metrics | grep -q 'name=\"$P-half\"'"

# Another ctop-bpf on the same port: a clear error, status 1.
"$CTOP_BIN" --export 127.0.0.1:$EXP -n 1 2>"$TMP/busy"
rc=$?
check "address in use: exit status 1 ($rc)" test $rc -eq 1
check "address in use: says so" grep -q 'Address already in use' "$TMP/busy"
"$CTOP_BIN" --export localhost:1 2>/dev/null
check "a host name, not an address: exit status 2" test $? -eq 2

kill -TERM "$CTOP"
wait "$CTOP"
rc=$?
CTOP=
check "SIGTERM: clean exit, status 0 ($rc)" test $rc -eq 0
check "the port is free after the exit" bash -c "! curl -s --max-time 1 $U/metrics >/dev/null"

# :PORT listens on every interface, IPv6 included; [::1]:PORT on IPv6 loopback.
"$CTOP_BIN" --export :$EXP -d 0.2 2>/dev/null &
CTOP=$!
sleep 2
check ":PORT answers on 127.0.0.1" test "$(code $U/metrics)" = 200
if [ -e /proc/net/if_inet6 ]; then
	check ":PORT answers on [::1]" test "$(code "http://[::1]:$EXP/metrics")" = 200
fi
kill "$CTOP"; wait "$CTOP"; CTOP=
if [ -e /proc/net/if_inet6 ]; then
	"$CTOP_BIN" --export "[::1]:$EXP" -d 0.2 2>/dev/null &
	CTOP=$!
	sleep 2
	check "[::1]:PORT answers on [::1]" test "$(code "http://[::1]:$EXP/metrics")" = 200
	check "[::1]:PORT does not answer on 127.0.0.1" test "$(code $U/metrics)" = 000
	kill "$CTOP"; wait "$CTOP"; CTOP=
fi
finish
