#!/bin/sh
# What each probe choice adds to a system call: getppid (no bytes), a
# 1-byte pwrite to a file, a 1-byte UDP send on loopback. Rounds alternate
# without and with ctop-bpf, so drift in the machine's speed hits both
# sides alike; the figure is the median of the per-round differences.
# POSIX sh, so that it also runs in the kernel-matrix guests (busybox).
#
#   probes.sh CTOP WORKLOAD ROUNDS CHOICE...
# CHOICE is "auto", "light" or a --probes list; one this kernel cannot
# attach is reported and skipped.
set -u
ctop=$1 w=$2 rounds=$3
shift 3
n=${CALLS:-1000000}
tmp=${TMPDIR:-/tmp}/ctop-bench-probes.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }'; }

printf '%-34s %-40s %9s %9s %9s\n' choice "probes chosen" getppid pwrite send
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
		printf '%-34s %s\n' "$choice" "not on this kernel: $($ctop -V $args 2>&1 | tail -1)"
		continue
		;;
	esac
	: >"$tmp/getppid" && : >"$tmp/write" && : >"$tmp/send"
	r=0
	while [ $r -lt "$rounds" ]; do
		for k in getppid write send; do
			# A loopback send is some 20 times slower than the others.
			c=$n
			[ $k = send ] && c=$((n / 20))
			base=$($w syscalls "$c" $k)
			# shellcheck disable=SC2086
			$ctop -b -d 1 $args >/dev/null 2>&1 &
			pid=$!
			sleep 0.5
			with=$($w syscalls "$c" $k)
			kill $pid
			wait $pid 2>/dev/null
			awk -v a="$with" -v b="$base" 'BEGIN { printf "%.1f\n", a - b }' >>"$tmp/$k"
		done
		r=$((r + 1))
	done
	printf '%-34s %-40s %8sns %8sns %8sns\n' "$choice" "$chosen" "$(median <"$tmp/getppid")" \
		"$(median <"$tmp/write")" "$(median <"$tmp/send")"
done
