#!/usr/bin/env bash
# Runs the libFuzzer harnesses, one at a time and one process each (the
# machine is shared: never -jobs or -workers above 1).
#
#   tests/fuzz/run.sh [HARNESS...]          each for FUZZ_SECONDS (default 180);
#                                           the corpus grows in .output-fuzz/corpus/
#   tests/fuzz/run.sh --short [HARNESS...]  what `make test` runs: the regression
#                                           inputs, then FUZZ_TEST_SECONDS each (2)
#
# Each harness first runs its inputs in tests/fuzz/regress/<harness>/, then
# fuzzes from tests/fuzz/corpus/<harness>/ and the fixtures that fit it.
# One line per harness, then "N passed, M failed[, K skipped]". A crash
# is a failure, its input saved under .output-fuzz/crashes/<harness>/. A
# harness that does not build is skipped, or with CI=true a failure.
set -u
cd "$(dirname "$0")/../.."

FUZZ_OUT=.output-fuzz
short=false
if [ "${1:-}" = --short ]; then
	short=true
	shift
fi
if $short; then
	secs=${FUZZ_TEST_SECONDS:-2}
else
	secs=${FUZZ_SECONDS:-180}
fi
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		h=${f#tests/fuzz/fuzz_}
		harnesses+=("${h%.c}")
	done
fi

# Leaks are bugs here: the parsers are all that runs.
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The fixtures each harness starts from, besides its own corpus.
fixtures() {
	case $1 in
	meta_docker) find tests/fixtures -type f -name config.v2.json ;;
	meta_podman) find tests/fixtures -type f -name '*containers.json' ;;
	meta_oci) find tests/fixtures -type f -name config.json ;;
	bolt) find tests/fixtures -type f -name '*.db' ;;
	theme) find tests/fixtures/themes themes -type f -name '*.theme' ;;
	proc_mountinfo) find tests/fixtures -type f -name 'mountinfo.*' ;;
	recording) find tests/fixtures/recordings -type f -name '*.ctoprec' ;;
	web_config) find tests/fixtures/web_config -type f -name '*.yml' ;;
	esac
}

not_ok() {
	echo "not ok - fuzz $1"
	failed=$((failed + 1))
}

for h in "${harnesses[@]}"; do
	bin=$FUZZ_OUT/fuzz_$h
	log=$tmp/$h.log
	if [ ! -f "tests/fuzz/fuzz_$h.c" ]; then
		not_ok "$h: no tests/fuzz/fuzz_$h.c"
		continue
	fi
	if ! make --no-print-directory -s "$bin" >"$log" 2>&1; then
		tail -n 20 "$log"
		if [ "${CI:-}" = true ]; then
			not_ok "$h: does not build (CI=true: a skip is a failure)"
		else
			echo "skip - fuzz $h: does not build (is libFuzzer there? apt-get install libclang-rt-dev)"
			skipped=$((skipped + 1))
		fi
		continue
	fi

	crashes=$FUZZ_OUT/crashes/$h
	mkdir -p "$crashes"
	regress=(tests/fuzz/regress/"$h"/*)
	[ -e "${regress[0]}" ] || regress=()
	if [ ${#regress[@]} -gt 0 ] && ! "$bin" "${regress[@]}" >"$log" 2>&1; then
		grep -E '^(Running|==[0-9]+==ERROR|SUMMARY|.*broken promise|.*runtime error)' "$log" | head -n 20
		not_ok "$h: a regression input fails again (tests/fuzz/regress/$h/)"
		continue
	fi

	seeds=$tmp/seeds-$h
	mkdir -p "$seeds"
	fixtures "$h" | while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr / _)"; done
	if $short; then
		corpus=$tmp/corpus-$h
	else
		corpus=$FUZZ_OUT/corpus/$h
	fi
	mkdir -p "$corpus"
	# A harness whose seeds are all fixtures (see fixtures()) has no
	# committed corpus folder; libFuzzer refuses a folder that is not there.
	committed=()
	[ -d "tests/fuzz/corpus/$h" ] && committed=("tests/fuzz/corpus/$h")
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$corpus" "${committed[@]}" "$seeds" \
		>"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
	if [ $rc -ne 0 ]; then
		saved=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		grep -E '==[0-9]+==ERROR|SUMMARY|broken promise|runtime error|^    #[0-9] ' "$log" |
			head -n 20
		[ -n "$saved" ] || saved="(none saved; see $crashes)"
		not_ok "$h: exit $rc after ${runs:-?} runs; input saved as $saved" \
			"(reproduce: $bin $saved; keep it: cp it to tests/fuzz/regress/$h/<what-it-does>)"
		continue
	fi
	echo "ok - fuzz $h: ${secs} s, ${runs:-?} runs, cov ${cov:-?}, ${#regress[@]} regression inputs"
	passed=$((passed + 1))
done

echo
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
