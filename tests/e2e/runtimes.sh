#!/usr/bin/env bash
# End to end against the other runtimes and the Docker set-ups whose
# cgroups do not look like /docker/<id>: the real binary in batch JSON
# mode, compared with what each runtime was told and with the cgroup's own
# accounting.
#   - Docker: a rename while ctop-bpf runs, --cgroup-parent, a kubepods parent
#   - containerd through ctr, in an instance of the test's own (own socket,
#     root and state: never the one Docker uses), and Kubernetes pods as
#     containerd's CRI makes them (kubepods cgroups, CRI annotations)
#   - Podman (rootful, cgroupfs), alone and in a pod
#   - systemd-nspawn without machined (--register=no --keep-unit), started
#     in a cgroup folder of the test's own
#   - LXC (lxc-create -t busybox), in an lxcpath of the test's own
# In each runtime a process that holds 32 MiB and one that writes 32 MiB
# to a file give RSS (against the VmRSS sum) and disk writes (exact).
set -u
source tests/e2e/lib.sh
need_root
command -v jq >/dev/null || cannot_run "jq is not installed (make deps)"
for b in ctr containerd podman systemd-nspawn lxc-create lxc-start lxc-attach; do
	command -v $b >/dev/null || cannot_run "$b is not installed (make deps)"
done
start_docker
build_image || cannot_run "cannot build the test image"
CG=$(cgroup2_root)
[ -n "$CG" ] || cannot_run "no cgroup v2 hierarchy mounted"

P=ctoprt-$$
TMP=$(mktemp -d)
OUTF=$TMP/out.jsonl
CTOP= CTRD= NSP= LXC=
UID_K=6b1f2e3a-9c4d-4e5f-8a7b-$(printf '%012x' $$)
# two Kubernetes pods through containerd's CRI
UID_A=7c2a3b4d-1e5f-4a6b-9c8d-$(printf '%012x' $$)
UID_B=8d3b4c5e-2f6a-4b7c-8d9e-$(printf '%012x' $$)
LXCP=$TMP/lxc
MIB32=33554432
SOCK=$TMP/ctrd/c.sock
export CONTAINERS_CONF=$TMP/containers.conf
ctr_() { ctr -a "$SOCK" "$@"; }
cleanup() {
	[ -n "$CTOP" ] && kill "$CTOP" 2>/dev/null && wait "$CTOP" 2>/dev/null
	remove_containers "$P"
	podman pod rm -f "$P-pod" >/dev/null 2>&1
	podman rm -f $(podman ps -aq --filter "name=^$P") >/dev/null 2>&1
	if [ -n "$LXC" ]; then
		for n in lxc lxc2; do
			lxc-stop -P "$LXCP" -n "$P-$n" -k >/dev/null 2>&1
			lxc-destroy -P "$LXCP" -n "$P-$n" >/dev/null 2>&1
		done
	fi
	if [ -n "$CTRD" ]; then
		for ns in default $P k8s.io; do
			for t in $(ctr_ -n $ns tasks ls -q 2>/dev/null); do
				ctr_ -n $ns tasks kill -s KILL "$t" >/dev/null 2>&1
			done
			sleep 0.3
			for t in $(ctr_ -n $ns containers ls -q 2>/dev/null); do
				ctr_ -n $ns tasks rm -f "$t" >/dev/null 2>&1
				ctr_ -n $ns containers rm "$t" >/dev/null 2>&1
			done
		done
		kill "$CTRD" 2>/dev/null && wait "$CTRD" 2>/dev/null
	fi
	[ -n "$NSP" ] && kill "$NSP" 2>/dev/null && wait "$NSP" 2>/dev/null
	rmdir "$CG/$P-ns/payload" "$CG/$P-ns/supervisor" "$CG/$P-ns" 2>/dev/null
	rmdir "$CG/$P-parent" "$CG/$P" "$CG/kubepods/besteffort/pod$UID_K" 2>/dev/null
	# runc, dockerd and nspawn made our folders in the v1 hierarchies too,
	# some below dockerd's own cgroup there: the deepest first.
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -depth -type d \( -path "*/$P" -o \
		-path "*/$P-*" -o -path "*/pod$UID_K" -o -path "*/pod$UID_A" -o -path "*/pod$UID_B" \) \
		-exec rmdir {} + 2>/dev/null
	# Never remove into a container's root file system still mounted.
	if grep -q " $TMP/" /proc/mounts; then
		echo "# $TMP still has mounts: left in place" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT

# --- set up -------------------------------------------------------------
run_c ren "$IMAGE" /workload hold
run_c pa1 --cgroup-parent "$P-parent" "$IMAGE" /workload burn 600
run_c pa2 --cgroup-parent "$P-parent" "$IMAGE" /workload hold
run_c kube --cgroup-parent "/kubepods/besteffort/pod$UID_K" "$IMAGE" /workload hold

# containerd: its own instance; the state folder only its command line names.
mkdir -p "$TMP/ctrd"
printf 'version = 2\n' >"$TMP/ctrd/config.toml"
containerd --config "$TMP/ctrd/config.toml" --address "$SOCK" --root "$TMP/ctrd/root" \
	--state "$TMP/ctrd/state" >"$TMP/ctrd/log" 2>&1 &
CTRD=$!
for _ in $(seq 1 100); do ctr_ version >/dev/null 2>&1 && break; sleep 0.1; done
ctr_ version >/dev/null 2>&1 || cannot_run "containerd did not start ($(tail -1 "$TMP/ctrd/log"))"
HEXID=$(printf '%s' "$P" | sha256sum | cut -c1-64)
for ns in default $P; do
	docker save "$IMAGE" | ctr_ -n $ns images import - >/dev/null ||
		cannot_run "ctr cannot import the test image"
done
CIMG=docker.io/library/$IMAGE
ctr_ -n default run -d "$CIMG" "$P-ctr1" /workload hold >/dev/null
ctr_ -n default run -d --annotation "io.kubernetes.cri.image-name=$CIMG" "$CIMG" "$HEXID" \
	/workload hold >/dev/null
ctr_ -n $P run -d "$CIMG" "$P-ctr2" /workload burn 600 >/dev/null
ctr_ -n $P run -d "$CIMG" "$P-ctr3" /workload rss 32 hold >/dev/null
# Kubernetes through CRI: each pod's sandbox and containers in
# kubepods/<qos>/pod<uid>/<id>, named by the annotations CRI writes.
docker save "$IMAGE" | ctr_ -n k8s.io images import - >/dev/null ||
	cannot_run "ctr cannot import the test image"
kid() { printf '%s' "$P-$1" | sha256sum | cut -c1-64; }
# cri_run POD-UID POD-NAME ID TYPE [CONTAINER-NAME]
cri_run() {
	local a=io.kubernetes.cri
	ctr_ -n k8s.io run -d --cgroup "/kubepods/besteffort/pod$1/$3" \
		--annotation "$a.container-type=$4" --annotation "$a.sandbox-name=$2" \
		--annotation "$a.sandbox-namespace=rtk-ns" --annotation "$a.sandbox-id=$(kid "$2")" \
		${5:+--annotation "$a.container-name=$5" --annotation "$a.image-name=$CIMG"} \
		"$CIMG" "$3" /workload hold >/dev/null || cannot_run "ctr run in kubepods failed"
}
KA=k$$a KB=k$$b
cri_run "$UID_A" "$KA" "$(kid "$KA")" sandbox
cri_run "$UID_A" "$KA" "$(kid "$KA-app")" container app
cri_run "$UID_B" "$KB" "$(kid "$KB")" sandbox

# Podman: rootful runc needs the rlimits set (see DESIGN.md). runc, not
# crun, which Podman prefers once installed: crun 1.8 refuses hybrid hosts
# ("cgroups in hybrid mode not supported").
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' \
	>"$CONTAINERS_CONF"
PIMG=localhost/ctoptest-rt:latest
docker save "$IMAGE" >"$TMP/img.tar"
loaded=$(podman load -q -i "$TMP/img.tar" 2>/dev/null | sed -n 's/^Loaded image[^:]*: //p' | head -1)
[ -n "$loaded" ] && podman tag "$loaded" "$PIMG" >/dev/null 2>&1 ||
	cannot_run "podman cannot load the test image"
podman run -d --network none --name "$P-pod1" "$PIMG" /workload rss 32 hold >/dev/null ||
	cannot_run "podman run failed"
# A pod: its infra container needs a local image that runs by itself.
docker create --name "$P-exp" "$IMAGE" /workload hold >/dev/null
docker export "$P-exp" | podman import -q --change 'ENTRYPOINT ["/workload", "hold"]' - \
	"localhost/ctoptest-infra:latest" >/dev/null || cannot_run "podman cannot import the infra image"
podman pod create --infra-image localhost/ctoptest-infra:latest --name "$P-pod" >/dev/null ||
	cannot_run "podman pod create failed"
podman run -d --pod "$P-pod" --name "$P-member" "$PIMG" /workload burn 600 >/dev/null ||
	cannot_run "podman run --pod failed"

# nspawn: a busybox tree (nspawn wants a /usr), run from a folder of ours.
mkdir -p "$TMP/$P-machine/usr" "$TMP/$P-machine/etc"
docker export "$P-exp" | tar -C "$TMP/$P-machine" -x
touch "$TMP/$P-machine/etc/os-release"
mkdir -p "$CG/$P-ns"
(echo $BASHPID >"$CG/$P-ns/cgroup.procs" &&
	exec systemd-nspawn --register=no --keep-unit -q -D "$TMP/$P-machine" /workload rss 32 burn 600 \
		>"$TMP/nspawn.log" 2>&1) &
NSP=$!
# cgroup files have no size: read them.
payload_pids() { cat "$CG/$P-ns/payload/cgroup.procs" 2>/dev/null; }
for _ in $(seq 1 200); do [ -n "$(payload_pids)" ] && break; sleep 0.1; done
[ -n "$(payload_pids)" ] || cannot_run "systemd-nspawn did not start ($(tail -1 "$TMP/nspawn.log"))"

# LXC: the busybox template, no network; our workload is its init.
mkdir -p "$LXCP"
printf 'lxc.net.0.type = empty\n' >"$TMP/lxc.conf"
lxc-create -P "$LXCP" -n "$P-lxc" -t busybox -f "$TMP/lxc.conf" >"$TMP/lxc.log" 2>&1 ||
	cannot_run "lxc-create -t busybox failed ($(tail -1 "$TMP/lxc.log"))"
LXC=1
cp "$OUT/tests/workload" "$LXCP/$P-lxc/rootfs/workload"
lxc-start -P "$LXCP" -n "$P-lxc" -l INFO -o "$TMP/lxc.log" -- /workload rss 32 burn 600 ||
	cannot_run "lxc-start failed ($(tail -1 "$TMP/lxc.log"))"
LXCG=$CG/lxc.payload.$P-lxc
# and one in a folder of its own (lxc.cgroup.dir): its monitor goes there too
printf 'lxc.net.0.type = empty\nlxc.cgroup.dir = lxc/%s\n' "$P-lxc2" >"$TMP/lxc2.conf"
lxc-create -P "$LXCP" -n "$P-lxc2" -t busybox -f "$TMP/lxc2.conf" >"$TMP/lxc2.log" 2>&1 ||
	cannot_run "lxc-create -t busybox failed ($(tail -1 "$TMP/lxc2.log"))"
cp "$OUT/tests/workload" "$LXCP/$P-lxc2/rootfs/workload"
lxc-start -P "$LXCP" -n "$P-lxc2" -l INFO -o "$TMP/lxc2.log" -- /workload hold ||
	cannot_run "lxc-start failed ($(tail -1 "$TMP/lxc2.log"))"
LXCG2=$CG/lxc/$P-lxc2/lxc.payload.$P-lxc2
for _ in $(seq 1 100); do [ "$(vmrss_sum "$LXCG")" -gt $((32 << 20)) ] && break; sleep 0.1; done
for g in "$LXCG" "$LXCG2"; do
	[ -n "$(cat "$g/cgroup.procs" 2>/dev/null)" ] ||
		cannot_run "LXC's payload is not in $g ($(tail -1 "$TMP/lxc.log"))"
done

"$CTOP_BIN" -b -j -d 0.5 >"$OUTF" 2>"$TMP/err" &
CTOP=$!
sleep 1.2
# row RECORD SELECT-EXPR JQ-PATH: the field of the rows SELECT-EXPR picks
row() { jq -r "[.containers[] | select($2)] | map($3) | join(\",\")" <<<"$1"; }
byname() { row "$1" ".name == \"$2\"" "$3"; }
# cpu_vs_cgroup DESC NAME DIR: NAME's CPU over 6 s against DIR's own
# cpu.stat, in one window: within 3 points of one CPU.
cpu_vs_cgroup() {
	local r1 r2 a b c1 c2 secs ours theirs
	r1=$(next_record)
	a=$(byname "$r1" "$2" .cpu_ns_total)
	c1=$(cgroup_cpu_ns "$3")
	sleep 6
	r2=$(next_record)
	b=$(byname "$r2" "$2" .cpu_ns_total)
	c2=$(cgroup_cpu_ns "$3")
	secs=$(jq -n --argjson a "$(jq .time <<<"$r1")" --argjson b "$(jq .time <<<"$r2")" '$b - $a')
	ours=$(awk -v a="$a" -v b="$b" -v s="$secs" 'BEGIN { print (b - a) / s / 1e7 }')
	theirs=$(awk -v a="$c1" -v b="$c2" -v s="$secs" 'BEGIN { print (b - a) / s / 1e7 }')
	echo "# $2: ours $ours% cgroup $theirs% over ${secs}s"
	check "$1" near "$ours" "$theirs" 3
}
# rss_vs_procs DESC NAME DIR: NAME's rss_bytes within 0.5% of the VmRSS
# sum of the processes in DIR (and below it)
rss_vs_procs() {
	local r ours vm
	r=$(next_record)
	ours=$(byname "$r" "$2" .rss_bytes)
	vm=$(vmrss_sum "$3")
	echo "# $2: rss $ours VmRSS sum $vm"
	check "$1" within "${ours:-0}" "$vm" 0.5
}
# writes_32m DESC NAME COMMAND...: COMMAND writes 32 MiB to a file in the
# container: NAME's disk_write_bytes_total grows by that (0.5%, as for Docker)
writes_32m() {
	local d desc=$1 name=$2
	shift 2
	d=$(delta_after "$name" .disk_write_bytes_total "$@")
	echo "# $name: disk_write grew by $d"
	check "$desc" within "$d" $MIB32 0.5
}
r=$(next_record)
check "first records arrive" test -n "$r"

# --- Docker -------------------------------------------------------------
for n in pa1 pa2; do
	check "--cgroup-parent: $n is its own row, runtime docker, image" \
		test "$(byname "$r" "$P-$n" '.runtime + " " + .image + " " + .cgroup')" = \
		"docker $IMAGE /$P-parent/$(cid $n)"
done
check "--cgroup-parent: no row for the parent folder" test -z "$(byname "$r" "$P-parent" .id)"
check "kubepods parent: runtime docker, named from config.v2.json" \
	test "$(byname "$r" "$P-kube" '.runtime + " " + .image')" = "docker $IMAGE"
cpu_vs_cgroup "--cgroup-parent: cpu within 3 points of the cgroup's accounting" \
	"$P-pa1" "$CG/$P-parent/$(cid pa1)"
r=$(next_record)

docker rename "$P-ren" "$P-renamed"
next_record >/dev/null
r=$(next_record)
check "docker rename shows within two refreshes" \
	test "$(row "$r" ".id == \"$(docker inspect -f '{{.Id}}' "$P-renamed")\"" .name)" = "$P-renamed"

# --- containerd ---------------------------------------------------------
check "ctr: a name for an id in namespace default is a row of its own" \
	test "$(byname "$r" "$P-ctr1" '.runtime + " " + .cgroup + " " + .namespace')" = \
	"containerd /default/$P-ctr1 default"
for n in ctr2 ctr3; do
	check "ctr: $n in namespace $P is its own row" \
		test "$(byname "$r" "$P-$n" '.runtime + " " + .cgroup + " " + .namespace')" = \
		"containerd /$P/$P-$n $P"
done
check "ctr: no row for the namespace folder" test -z "$(byname "$r" "$P" .id)"
check "ctr: a hex id shows the image its bundle names" \
	test "$(row "$r" ".id == \"$HEXID\"" '.runtime + " " + .image + " " + .namespace')" = \
	"containerd $CIMG default"
check "ctr: its process is not counted in [host]" \
	test "$(byname "$r" "$P-ctr1" .pids)" = 1
# ctr run writes no image annotation: the image is in containerd's meta.db,
# under the --root only the command line of our containerd names.
for n in ctr1 ctr2; do
	check "ctr: $n shows its image from containerd's meta.db" \
		test "$(byname "$r" "$P-$n" .image)" = "$CIMG"
done
cpu_vs_cgroup "ctr: cpu within 3 points of the cgroup's accounting" \
	"$P-ctr2" "$CG/$P/$P-ctr2"
rss_vs_procs "ctr: rss within 0.5% of the VmRSS sum" "$P-ctr3" "$CG/$P/$P-ctr3"
writes_32m "ctr: tasks exec writing 32 MiB: disk_write_bytes_total grows by 32 MiB" "$P-ctr3" \
	ctr_ -n $P tasks exec --exec-id "w$$" "$P-ctr3" /workload write /tmp/f $MIB32
r=$(next_record)

# --- Kubernetes through containerd's CRI -------------------------------
kube() { row "$r" ".id == \"$(kid "$1")\"" "$2"; }
F='.name + " " + .pod + " " + .namespace + " " + .runtime + " " + .cgroup'
check "CRI: the app container shows its name, pod and namespace" \
	test "$(kube "$KA-app" "$F + \" \" + .image")" = \
	"app $KA rtk-ns containerd /kubepods/besteffort/pod$UID_A/$(kid "$KA-app") $CIMG"
check "CRI: pod $KA's sandbox is POD, with its pod's name" \
	test "$(kube "$KA" "$F")" = "POD $KA rtk-ns containerd /kubepods/besteffort/pod$UID_A/$(kid "$KA")"
check "CRI: pod $KB's sandbox is POD, with its own pod's name" \
	test "$(kube "$KB" "$F")" = "POD $KB rtk-ns containerd /kubepods/besteffort/pod$UID_B/$(kid "$KB")"
check "CRI: no row for the pod folders" \
	test -z "$(row "$r" ".cgroup | test(\"pod($UID_A|$UID_B)\$\")" .id)"
# The table tells the two sandboxes apart as pod/POD; -f matches pod names.
t=$("$CTOP_BIN" -b -n 1 -f "k$$")
check "CRI: the table shows $KA/POD, $KA/app and $KB/POD, and nothing else for -f k$$" \
	bash -c 'grep -q "^$1/POD " <<<"$3" && grep -q "^$1/app " <<<"$3" &&
		grep -q "^$2/POD " <<<"$3" && [ "$(grep -c "^k" <<<"$3")" = 3 ]' _ "$KA" "$KB" "$t"
r=$(next_record)

# --- Podman -------------------------------------------------------------
pid=$(podman inspect -f '{{.Id}}' "$P-pod1")
check "podman: runtime, image and cgroup" \
	test "$(byname "$r" "$P-pod1" '.runtime + " " + .image + " " + .cgroup')" = \
	"podman $PIMG /libpod_parent/libpod-$pid"
rss_vs_procs "podman: rss within 0.5% of the VmRSS sum" "$P-pod1" "$CG/libpod_parent/libpod-$pid"
writes_32m "podman: exec writing 32 MiB: disk_write_bytes_total grows by 32 MiB" "$P-pod1" \
	podman exec "$P-pod1" /workload write /tmp/f $MIB32

r=$(next_record)
podid=$(podman pod inspect -f '{{.Id}}' "$P-pod")
infra=$(podman pod inspect -f '{{.InfraContainerID}}' "$P-pod")
mid=$(podman inspect -f '{{.Id}}' "$P-member")
check "podman pod: the member shows its pod's name" \
	test "$(byname "$r" "$P-member" '.runtime + " " + .pod + " " + .cgroup')" = \
	"podman $P-pod /libpod_parent/$podid/libpod-$mid"
check "podman pod: the infra container is marked POD, with its pod's name" \
	test "$(row "$r" ".id == \"$infra\"" '.name + " " + .pod + " " + .image')" = \
	"POD $P-pod localhost/ctoptest-infra:latest"
cpu_vs_cgroup "podman pod: cpu within 3 points of the cgroup's accounting" \
	"$P-member" "$CG/libpod_parent/$podid/libpod-$mid"
# The table names rows pod/name (cut to its 20 columns), so that pods'
# POD rows are told apart, and -f matches the pod's name.
t=$("$CTOP_BIN" -b -n 1 -f "$P-pod")
check "podman pod: the table shows pod/POD and pod/member, and -f matches the pod" \
	bash -c 'grep -q "^$1/POD " <<<"$2" && [ "$(grep -c "^$1/" <<<"$2")" = 2 ]' _ "$P-pod" "$t"
r=$(next_record)

# --- systemd-nspawn ----------------------------------------------------
check "nspawn: the payload is one row, runtime nspawn, named after the machine" \
	test "$(row "$r" ".cgroup | startswith(\"/$P-ns\")" '.name + " " + .runtime + " " + .cgroup')" = \
	"$P-machine nspawn /$P-ns/payload"
# The payload's VmRSS alone: the supervisor's (about 9 MiB) is not in it.
echo "# nspawn: supervisor VmRSS $(vmrss_sum "$CG/$P-ns/supervisor")"
rss_vs_procs "nspawn: rss within 0.5% of the payload's VmRSS sum, not the supervisor's" \
	"$P-machine" "$CG/$P-ns/payload"
check "nspawn: no row for the supervisor" \
	test -z "$(row "$r" '.cgroup | test("supervisor")' .id)"
# nspawn has no exec: a process joins the payload's cgroup and namespaces,
# as machinectl shell does.
nspawn_exec() {
	bash -c 'echo $$ >"$1/cgroup.procs" && exec nsenter -t "$2" -m -p -- "${@:3}"' _ \
		"$CG/$P-ns/payload" "$(payload_pids | head -1)" "$@"
}
writes_32m "nspawn: a process joined to it writing 32 MiB: disk_write_bytes_total grows by 32 MiB" \
	"$P-machine" nspawn_exec /workload write /tmp/f $MIB32
cpu_vs_cgroup "nspawn: cpu within 3 points of the payload cgroup's accounting" \
	"$P-machine" "$CG/$P-ns/payload"
r=$(next_record)

# --- LXC -----------------------------------------------------------------
check "lxc: one row, runtime lxc, named after the container, its payload cgroup" \
	test "$(row "$r" ".cgroup | test(\"lxc[.](payload|monitor)[.]$P-lxc\$\")" \
		'.name + " " + .runtime + " " + .cgroup + " " + (.pids | tostring)')" = \
	"$P-lxc lxc /lxc.payload.$P-lxc 1"
check "lxc: the monitor is not the container's" \
	test -z "$(row "$r" ".cgroup | test(\"monitor\")" .id)"
check "lxc.cgroup.dir: one row, the payload below the folder, without the monitor" \
	test "$(row "$r" ".cgroup | startswith(\"/lxc/$P-lxc2\")" \
		'.name + " " + .runtime + " " + .cgroup + " " + (.pids | tostring)')" = \
	"$P-lxc2 lxc /lxc/$P-lxc2/lxc.payload.$P-lxc2 1"
rss_vs_procs "lxc.cgroup.dir: rss within 0.5% of the payload's VmRSS sum" "$P-lxc2" "$LXCG2"
cpu_vs_cgroup "lxc: cpu within 3 points of the payload cgroup's accounting" "$P-lxc" "$LXCG"
rss_vs_procs "lxc: rss within 0.5% of the payload's VmRSS sum" "$P-lxc" "$LXCG"
writes_32m "lxc: lxc-attach writing 32 MiB: disk_write_bytes_total grows by 32 MiB" "$P-lxc" \
	lxc-attach -P "$LXCP" -n "$P-lxc" -- /workload write /tmp/f $MIB32
lxc-stop -P "$LXCP" -n "$P-lxc" -k
lxc-destroy -P "$LXCP" -n "$P-lxc" >/dev/null
for _ in 1 2 3; do
	r=$(next_record)
	[ -z "$(byname "$r" "$P-lxc" .id)" ] && break
done
check "lxc: gone after lxc-stop and lxc-destroy" test -z "$(byname "$r" "$P-lxc" .id)"

check "stderr stays empty" test ! -s "$TMP/err"
kill "$CTOP"
wait "$CTOP"
check "SIGTERM ends batch mode with status 0" test $? -eq 0
CTOP=
finish
