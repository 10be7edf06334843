#!/bin/sh
# What each probe choice adds to a system call: getppid (no bytes), a
# 1-byte pwrite to a file, a 1-byte UDP send on loopback. Rounds alternate
# without and with ctop-bpf, so drift in the machine's speed hits both
# sides alike; each figure is the median of the per-round differences, in
# ns and as a share of the call without ctop-bpf (under emulation, as in
# the kernel-matrix guests, only the share means something).
# POSIX sh, so that it also runs in the kernel-matrix guests (busybox).
#
#   probes.sh CTOP WORKLOAD ROUNDS CHOICE...
# CHOICE is "auto", "light" or a --probes list; one this kernel cannot
# attach is reported and skipped. CALLS (default 1000000) is the number
# of getppid and pwrite calls per run; a send run makes a 20th of it;
# REPEAT (default 3) runs make one timing, the fastest.
# DELAY (default 1) is ctop-bpf's refresh interval during the timings: the
# timings are wall-clock, so on one emulated CPU, where a refresh takes a
# good part of a second, a guest passes a longer one to time the probes
# rather than the refresh (whose cost make bench shows on its own).
set -u
ctop=$1 w=$2 rounds=$3
shift 3
n=${CALLS:-1000000}
tmp=${TMPDIR:-/tmp}/ctop-bench-probes.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

# timed KIND CALLS: ns per call, the fastest of REPEAT (default 3) runs:
# on a shared machine the slower ones are other tasks' time slices.
timed() {
	j=0
	while [ $j -lt "${REPEAT:-3}" ]; do
		$w syscalls "$2" "$1"
		j=$((j + 1))
	done | sort -n | head -1
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }'; }

# One column: the median added ns and the median added share of the call.
col() {
	printf '%8sns %6s' "$(median <"$tmp/$1")" \
		"$(median <"$tmp/$1.pct" | awk '{ if ($1 == "?") print "?"; else printf "%+.0f%%", $1 }')"
}

printf '%-26s %-38s %17s %17s %17s\n' choice "probes chosen" getppid pwrite send
for choice in "$@"; do
	case $choice in
	auto) args= ;;
	light) args=--light ;;
	*) args="--probes $choice" ;;
	esac
	# shellcheck disable=SC2086
	chosen=$($ctop -V $args 2>&1 | sed -n 's/^probes: //p')
	case $chosen in
	net=*) ;;
	*)
		printf '%-26s %s\n' "$choice" "not on this kernel: $($ctop -V $args 2>&1 | tail -1)"
		continue
		;;
	esac
	for k in getppid write send; do : >"$tmp/$k" && : >"$tmp/$k.pct"; done
	r=0
	while [ $r -lt "$rounds" ]; do
		# Each round: the three calls without, then with ctop-bpf.
		for k in getppid write send; do
			# A loopback send is some 20 times slower than the others.
			c=$n
			[ $k = send ] && c=$((n / 20))
			timed $k "$c" >"$tmp/$k.base"
		done
		# Its first record means it is attached (seconds under a guest's
		# emulation, some 0.25 s on a host).
		# (Emptied here: the background shell's own redirection may come
		# after the first check, which would see the last round's output.)
		: >"$tmp/out"
		# shellcheck disable=SC2086
		$ctop -b -d "${DELAY:-1}" $args >>"$tmp/out" 2>&1 &
		pid=$!
		i=0
		while [ ! -s "$tmp/out" ] && [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		if ! kill -0 $pid 2>/dev/null || [ ! -s "$tmp/out" ]; then
			kill $pid 2>/dev/null
			wait $pid
			echo "probes.sh: ctop-bpf $args did not start (status $?, after $i tenths of a second): $(tail -1 "$tmp/out")" >&2
			exit 1
		fi
		for k in getppid write send; do
			c=$n
			[ $k = send ] && c=$((n / 20))
			with=$(timed $k "$c")
			awk -v a="$with" -v b="$(cat "$tmp/$k.base")" 'BEGIN {
				printf "%.1f\n", a - b > "/dev/stderr"; printf "%.1f\n", (a / b - 1) * 100 }' \
				2>>"$tmp/$k" >>"$tmp/$k.pct"
		done
		kill $pid
		wait $pid 2>/dev/null
		r=$((r + 1))
	done
	printf '%-26s %-38s %s %s %s\n' "$choice" "$chosen" "$(col getppid)" "$(col write)" "$(col send)"
done
