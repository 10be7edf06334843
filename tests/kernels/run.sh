#!/usr/bin/env bash
# The kernel matrix: boots each Debian kernel named (default: all of
# lib.sh's KALL) in QEMU with an initramfs of the project's binaries, runs
# the BPF tier inside, and prints one verdict line per kernel, then
# "N passed, M failed". Serial logs stay in .output/kernels/NAME/.
#   tests/kernels/run.sh [KERNEL...]      e.g. tests/kernels/run.sh 6.1 6.1-arm64
#   tests/kernels/run.sh --bench ROUNDS KERNEL...
#       runs tests/bench/probes.sh in each guest instead of the tests (make
#       bench) and prints its table; CTOP_GUEST_CALLS calls per timing
#       (default 200000). Under TCG the ns are emulated: compare ratios.
# Environment: CTOP_KERNEL_TIMEOUT (s per boot, default 900), CTOP_QEMU_CPU
# (x86_64 -cpu, default max,-la57), CTOP_QEMU_SMP (default 1),
# CTOP_QEMU_X86=system (the installed qemu-system-x86_64 rather than
# bookworm-backports' QEMU, see fetch.sh qemu), CI=true (a kernel that
# cannot be fetched is a failure, not a skip).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cd "$KROOT"

bench=
if [ "${1:-}" = --bench ]; then
	bench=${2:?usage: run.sh --bench ROUNDS KERNEL...}
	shift 2
fi
timeout_s=${CTOP_KERNEL_TIMEOUT:-900}
x86_cpu=${CTOP_QEMU_CPU:-max,-la57}
smp=${CTOP_QEMU_SMP:-1}
runs=$KROOT/.output/kernels
mkdir -p "$runs"
[ $# -gt 0 ] || set -- $KALL

passed=0 failed=0 skipped=0
host_arch=$(uname -m)

# x86_64 guests run under bookworm-backports' QEMU, extracted into
# .cache/kernels (fetch.sh qemu): QEMU 7.2's TCG double-faults Debian's
# 6.12 early in some boots. Where it cannot be fetched, the installed one.
qemu_x86=(qemu-system-x86_64) qemu_x86_note=
x86_wanted=false
for n in "$@"; do case $n in *-arm64) ;; *) x86_wanted=true ;; esac; done
if $x86_wanted && [ "${CTOP_QEMU_X86:-}" != system ]; then
	if qdir=$("$here/fetch.sh" qemu 2>"$runs/fetch-qemu.log"); then
		qemu_x86=("$qdir/root/usr/bin/qemu-system-x86_64"
			-L "$qdir/root/usr/share/qemu" -L "$qdir/root/usr/share/seabios")
	else
		qemu_x86_note=", installed QEMU: $(tail -1 "$runs/fetch-qemu.log")"
	fi
	echo "# x86_64 guests: $("${qemu_x86[0]}" --version 2>&1 | head -1) (${qemu_x86[0]})"
fi

# Unreachable archive or missing QEMU: a skip on a developer's machine, a
# failure in CI.
skip_or_fail() {
	if [ "${CI:-}" = true ]; then
		echo "not ok - $1 (CI=true: a skip is a failure)"
		failed=$((failed + 1))
	else
		echo "skip - $1"
		skipped=$((skipped + 1))
	fi
}

# Builds the binaries for Debian arch $1 once (no sanitizers: they would
# not run in the guest) and sets BUILD_DIR, BUILD_BIN; returns 1 with
# BUILD_ERR set if the build fails.
declare -A built=()
build_for() {
	local arch=$1 gnu make_args=() log
	gnu=$([ "$arch" = arm64 ] && echo aarch64 || echo x86_64)
	if [ "$gnu" = "$host_arch" ]; then
		BUILD_DIR=.output BUILD_BIN=ctop-bpf
	else
		BUILD_DIR=.output-$arch BUILD_BIN=.output-$arch/ctop-bpf make_args=(ARCH="$arch")
	fi
	log=$runs/build-$arch.log
	if [ -z "${built[$arch]:-}" ]; then
		if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -j"$(nproc)" "${make_args[@]}" \
			"$BUILD_BIN" "$BUILD_DIR/tests/test_bpf_collect" "$BUILD_DIR/tests/workload" \
			>"$log" 2>&1; then
			built[$arch]=ok
		else
			built[$arch]=$(grep -m1 -E 'error|Error|\*\*\*' "$log" || tail -1 "$log")
		fi
	fi
	BUILD_ERR=${built[$arch]}
	[ "$BUILD_ERR" = ok ]
}

# boot NAME LOG: one QEMU run with a hard time limit. Prints nothing.
boot() {
	local kdir=$KCACHE/$1 log=$2 dir release cmd
	dir=$(dirname "$log")
	release=$(cat "$kdir/release")
	rm -f "$dir/disk.img" "$log"
	# The BPF tier's storage tests write to a real block device.
	truncate -s 512M "$dir/disk.img"
	mkfs.ext4 -q -F "$dir/disk.img"
	case $K_ARCH in
	amd64) cmd=("${qemu_x86[@]}" -M q35 -cpu "$x86_cpu") console=ttyS0 ;;
	arm64) cmd=(qemu-system-aarch64 -M virt -cpu cortex-a72) console=ttyAMA0 ;;
	esac
	timeout "$timeout_s" "${cmd[@]}" -accel tcg -smp "$smp" -m 1024 \
		-nographic -no-reboot -nodefaults -monitor none \
		-kernel "$kdir/root/boot/vmlinuz-$release" -initrd "$dir/initrd.gz" \
		-append "console=$console panic=-1 quiet${bench:+ ctop.bench=$bench ctop.calls=${CTOP_GUEST_CALLS:-200000}}" \
		-drive "file=$dir/disk.img,if=virtio,format=raw" \
		-serial "file:$log" </dev/null >"$dir/qemu.out" 2>&1 || true
	rm -f "$dir/disk.img"
}

# Prints the one-line reason ctop-bpf did not load, from the guest's
# bpftool run (which shows libbpf's and the verifier's own words) or else
# from ctop-bpf's message.
load_reason() {
	local log=$1 prog line
	prog=$(sed -n "s/^libbpf: prog '\([^']*\)': -- BEGIN PROG LOAD LOG --.*/\1/p" "$log" | head -1)
	if [ -n "$prog" ]; then
		line=$(sed -n '/-- BEGIN PROG LOAD LOG --/,/-- END PROG LOAD LOG --/p' "$log" |
			grep -vE 'PROG LOAD LOG|^processed [0-9]+ insns|^verification time|^stack depth|^$' |
			tail -1)
		echo "prog '$prog': $line"
		return
	fi
	line=$(sed -n '/begin diagnose/,/end diagnose/p' "$log" | grep -m1 '^libbpf: ' || true)
	[ -n "$line" ] || line=$(grep -m1 '^ctop-bpf: ' "$log" || echo "no message")
	echo "$line"
}

for name in "$@"; do
	kernel_lookup "$name" || { failed=$((failed + 1)); continue; }
	garch=$([ "$K_ARCH" = arm64 ] && echo aarch64 || echo x86_64)
	label="linux $name $garch"
	dir=$runs/$name
	mkdir -p "$dir"
	qemu=$([ "$K_ARCH" = arm64 ] && echo qemu-system-aarch64 || echo "${qemu_x86[0]}")
	if ! command -v "$qemu" >/dev/null; then
		skip_or_fail "$label: $qemu is not installed (make deps)"
		continue
	fi
	if ! "$here/fetch.sh" "$name" >"$dir/fetch.log" 2>&1; then
		skip_or_fail "$label: cannot fetch the kernel: $(tail -1 "$dir/fetch.log")"
		continue
	fi
	release=$(cat "$KCACHE/$name/release")
	label="linux $release $garch"
	if ! build_for "$K_ARCH"; then
		echo "not ok - $label: the $K_ARCH build failed: $BUILD_ERR"
		echo "# build log: $runs/build-$K_ARCH.log"
		tail -5 "$runs/build-$K_ARCH.log" | sed 's/^/#   /'
		failed=$((failed + 1))
		continue
	fi
	if ! "$here/initramfs.sh" "$name" "$BUILD_DIR" "$BUILD_BIN" "$dir/initrd.gz" >"$dir/initramfs.log" 2>&1; then
		echo "not ok - $label: cannot build the initramfs: $(tail -1 "$dir/initramfs.log")"
		failed=$((failed + 1))
		continue
	fi

	log=$dir/serial.log
	start=$(date +%s.%N)
	boot "$name" "$log"
	note=$([ "$K_ARCH" = amd64 ] && echo "$qemu_x86_note" || true)
	# A guest that stops before the end (6.12 under QEMU 7.2's TCG
	# double-faults early in some boots) gets one more boot.
	if ! tr -d '\r' <"$log" | grep -q 'CTOP-GUEST: done$'; then
		mv "$log" "$dir/serial-1.log"
		note="$note, retried once"
		boot "$name" "$log"
	fi
	secs=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.0f", $2 - $1 }')
	# SeaBIOS clears the screen with escape codes that would share a line
	# with the guest's first marker.
	tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$log.txt"
	mv "$log.txt" "$log"

	if [ -n "$bench" ]; then
		if grep -q '^CTOP-GUEST: end bench rc=0' "$log"; then
			echo "ok - $label: probes.sh, $bench rounds (${secs} s$note; TCG: emulated ns)"
			sed -n '/^CTOP-GUEST: begin bench/,/^CTOP-GUEST: end bench/p' "$log" | grep -v '^CTOP-GUEST' || true
			passed=$((passed + 1))
		else
			echo "not ok - $label: the guest's bench did not finish (${secs} s$note): $(grep -v '^$' "$log" | tail -1)"
			echo "# serial log: $log"
			failed=$((failed + 1))
		fi
		continue
	fi

	# One Criterion run per probe choice (init.sh): all three must pass.
	runs_want=3
	runs_seen=$(grep -c 'Synthesis: Tested' "$log" || true)
	tested=$(sed -n 's/.*Tested: \([0-9]*\).*/\1/p' "$log" | awk '{ t += $1 } END { print t + 0 }')
	pass=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | awk '{ t += $1 } END { print t + 0 }')
	syn=$([ "$runs_seen" -gt 0 ] && echo yes || true)
	reasons=()
	if ! grep -q '^CTOP-GUEST: uname' "$log"; then
		reasons+=("the guest did not reach /init: $(grep -m1 -iE 'panic|fault|oops|BUG' "$log" || tail -1 "$log")")
	elif ! grep -q '^CTOP-GUEST: done' "$log"; then
		reasons+=("the guest stopped before the end (limit ${timeout_s}s): $(grep -v '^$' "$log" | tail -1)")
	fi
	grep -q '^CTOP-GUEST: disk /dev/vda' "$log" || ! grep -q '^CTOP-GUEST: uname' "$log" ||
		reasons+=("no test disk: $(grep -m1 -E 'insmod .* failed|no disk' "$log")")
	if grep -q '^CTOP-GUEST: end batch rc=' "$log" && ! grep -q '^CTOP-GUEST: end batch rc=0' "$log"; then
		reasons+=("ctop-bpf does not load: $(load_reason "$log")")
	fi
	if [ -n "$syn" ]; then
		counts="$pass passed, $((tested - pass)) failed over $runs_seen probe choices"
		[ "$tested" -gt 0 ] && [ "$pass" = "$tested" ] || reasons+=("BPF tier $counts")
		[ "$runs_seen" = "$runs_want" ] ||
			reasons+=("$runs_seen of the $runs_want probe choices gave a result")
	elif grep -q '^CTOP-GUEST: end bpf ' "$log"; then
		reasons+=("the BPF tier ended without a result ($(grep -m1 '^CTOP-GUEST: end bpf' "$log" | cut -d' ' -f4-))")
	fi

	if [ ${#reasons[@]} -eq 0 ] &&
		[ "$(grep -c '^CTOP-GUEST: end bpf .* rc=0$' "$log")" = "$runs_want" ]; then
		echo "ok - $label: $counts (${secs} s$note)"
		passed=$((passed + 1))
	else
		[ ${#reasons[@]} -gt 0 ] || reasons+=("test_bpf_collect failed ($(grep '^CTOP-GUEST: end bpf' "$log" | tr '\n' ' '))")
		msg=$(printf '%s; ' "${reasons[@]}")
		echo "not ok - $label: ${msg%; } (${secs} s$note)"
		echo "# serial log: $log"
		# Long verifier logs: their end says why.
		sed 's/^/#   /' "$log" | tail -n "${CTOP_KERNEL_LOG_LINES:-150}"
		failed=$((failed + 1))
	fi
done

echo "# the host's own kernel, $(uname -r), is tested by make test (tests/bpf on this host)"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
