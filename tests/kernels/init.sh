#!/bin/busybox sh
# /init of the test guests (busybox sh, not bash). Sets up what ctop-bpf
# and Criterion expect of a host, runs the guest tests, and prints lines
# starting with "CTOP-GUEST:" that tests/kernels/run.sh reads from the
# serial log. Every step prints its end marker, even when it fails.
/bin/busybox --install -s /bin
export PATH=/bin:/opt HOME=/root TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Criterion's workers share memory through shm_open(), which needs /dev/shm.
mkdir -p /dev/shm /dev/pts /tmp /mnt/disk /root
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	mount -t tracefs tracefs /sys/kernel/debug/tracing
ulimit -l unlimited
# The TCP and UDP tests talk to themselves over loopback.
ip link set lo up
# The tests read cpu.stat, memory.current and io.stat of their own cgroup.
echo "+cpu +memory +io" >/sys/fs/cgroup/cgroup.subtree_control

. /etc/guest.env
echo
echo "CTOP-GUEST: uname $(uname -r) $(uname -m)"

# In load order; /etc/guest.env lists only those that are modules here.
for m in $GUEST_MODULES; do
	insmod "/lib/modules/$m.ko" || echo "CTOP-GUEST: insmod $m failed"
done
for i in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
if mount -t ext4 /dev/vda /mnt/disk; then
	export CTOP_TEST_DISK=/mnt/disk
	echo "CTOP-GUEST: disk /dev/vda on $CTOP_TEST_DISK"
else
	echo "CTOP-GUEST: no disk (/dev/vda did not mount)"
fi

# step NAME SECONDS CMD...: runs CMD with a time limit, output to the log.
step() {
	name=$1 secs=$2
	shift 2
	echo "CTOP-GUEST: begin $name"
	timeout "$secs" "$@" 2>&1
	rc=$?
	echo "CTOP-GUEST: end $name rc=$rc"
	return $rc
}

step version 30 /opt/ctop-bpf -V

# make bench's guest run (tests/kernels/run.sh --bench): ctop.bench=ROUNDS
# on the kernel command line runs tests/bench/probes.sh instead of the
# tests, with ctop.calls=N calls per timing.
bench=$(sed -n 's/.*ctop\.bench=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$bench" ]; then
	calls=$(sed -n 's/.*ctop\.calls=\([0-9]*\).*/\1/p' /proc/cmdline)
	# One refresh, at start: what is timed is the probes.
	cd /tmp && step bench 3000 env CALLS="${calls:-200000}" DELAY=60 sh /opt/probes.sh \
		/opt/ctop-bpf /opt/tests/workload "$bench" auto net=syscall,file=syscall light
	echo "CTOP-GUEST: done"
	sync
	poweroff -f
fi
# On a load failure, libbpf's own words: the same object through bpftool,
# which prints the verifier's log of the program that was refused.
if ! step batch 120 /opt/ctop-bpf -b -j -n 2; then
	step diagnose 300 /opt/bpftool prog loadall /opt/ctop.bpf.o /sys/fs/bpf/ctop
	rm -rf /sys/fs/bpf/ctop
fi
# Once per probe choice, as tests/run.sh does on the host.
for p in auto net=syscall,file=syscall,tasks=iter light; do
	cd /opt && step "bpf $p" "$GUEST_BPF_TIMEOUT" env OUT=/opt CTOP_TEST_PROBES="${p#auto}" \
		/opt/tests/test_bpf_collect --jobs 1 --color=never
done
echo "CTOP-GUEST: done"
sync
poweroff -f
