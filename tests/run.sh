#!/usr/bin/env bash
# Runs every tier of tests: unit (no root), fuzz (no root, a few seconds
# per harness), bpf (root, real programs), e2e (real Docker and tmux).
# Prints one summary line at the end. With CI=true, a tier that cannot
# run is a failure, never a skip.
set -u
cd "$(dirname "$0")/.."
export OUT=${OUT:-.output}
export CTOP_BIN=${CTOP_BIN:-$OUT/ctop-bpf}
[ -x "$CTOP_BIN" ] || CTOP_BIN=./ctop-bpf
export CTOP_FIXTURES=${CTOP_FIXTURES:-tests/fixtures}
# Leaks are real bugs, but libbpf and ncurses keep some memory until exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts a Criterion binary or an e2e script printed. Criterion's
# "Failing: N" already includes the "Crashing: M" tests (a crash is a
# failure), so only Failing is added.
count() {
	local p f s
	if grep -q 'Synthesis: Tested' "$log"; then
		p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | tail -1)
		f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' "$log" | tail -1)
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
	else
		p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | tail -1)
		s=$(sed -n 's/.*failed, \([0-9]*\) skipped.*/\1/p' "$log" | tail -1)
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
		skipped=$((skipped + ${s:-0}))
	fi
}

run() {
	local name=$1 rc
	shift
	echo "== $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	count
	if [ $rc -ne 0 ] && ! grep -qE 'Failing: [1-9]|Crashing: [1-9]|[1-9][0-9]* failed' "$log"; then
		# It died without saying which test: count it as one failure.
		echo "not ok - $name exited with status $rc"
		failed=$((failed + 1))
	fi
	# Criterion counts a test that leaked as passed: LeakSanitizer reports
	# only when the test's process exits, after its result went out.
	if grep -q 'ERROR: LeakSanitizer' "$log"; then
		echo "not ok - $name: LeakSanitizer found a leak (above)"
		failed=$((failed + 1))
	fi
}

for t in "$OUT"/tests/test_*; do
	case $t in
	*/test_bpf_*) ;;
	*) [ -x "$t" ] && run "unit $(basename "$t")" "$t" ;;
	esac
done

# Fuzzing, bounded (about 20 s): each harness's regression inputs, then a
# few seconds of new ones. Built here, so that a missing libFuzzer is a
# skip (a failure with CI=true), not a broken build.
run "fuzz" ./tests/fuzz/run.sh --short

if [ "$(id -u)" -ne 0 ]; then
	if [ "${CI:-}" = true ]; then
		echo "not ok - bpf and e2e tests need root (CI=true: a skip is a failure)"
		failed=$((failed + 1))
	else
		echo "skip - bpf and e2e tests need root"
		skipped=$((skipped + 1))
	fi
else
	for t in "$OUT"/tests/test_bpf_*; do
		# One at a time: CPU tests must not compete with each other. Once
		# per probe choice this host has: the automatic one, the syscall
		# fallback for net with the task iterator instead of the walk,
		# --light, and the legacy object of kernels before 5.17.
		for p in "" net=syscall,tasks=iter light legacy; do
			[ -x "$t" ] && CTOP_TEST_PROBES=$p run "bpf $(basename "$t") ${p:-auto}" \
				"$t" --jobs 1
		done
	done
	# Older kernels every time, booted in QEMU: Debian 11's 5.10 (the
	# legacy object) and Debian 12's 6.1 run the BPF tier there (make
	# test-kernels runs the whole matrix).
	run "kernels btf.sh" bash tests/kernels/test_btf.sh
	run "kernels 5.10 6.1" bash tests/kernels/run.sh 5.10 6.1
	for t in tests/e2e/*.sh; do
		[ "$(basename "$t")" = lib.sh ] && continue
		run "e2e $(basename "$t")" bash "$t"
	done
fi

echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
