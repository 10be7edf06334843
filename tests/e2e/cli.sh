#!/usr/bin/env bash
# The command line: help, version, bad input (exit 2, naming the option),
# missing privileges (exit 1, saying how to fix it), and batch output.
set -u
source tests/e2e/lib.sh
need_root

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# expect STATUS PATTERN ARGS...: exit status and a stderr line matching PATTERN.
expect() {
	local want=$1 pat=$2 rc
	shift 2
	# bad input must never hang: 124 is the timeout's
	timeout 20 "$CTOP_BIN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	if [ $rc -eq "$want" ] && grep -qE -- "$pat" "$TMP/err" && [ ! -s "$TMP/out" ]; then
		ok "ctop-bpf $* exits $want: $(head -n 1 "$TMP/err")"
	else
		not_ok "ctop-bpf $* exited $rc, stderr: $(head -c 300 "$TMP/err")"
	fi
}

"$CTOP_BIN" --help >"$TMP/help"
check "--help exits 0" test $? -eq 0
for opt in --delay --sort --reverse --filter --theme --all --batch --json --processes \
	--iterations --smooth --help --version -d -s -r -f -t -a -b -j -p -n -h -V; do
	check "--help mentions $opt" grep -qe "$opt\b" "$TMP/help"
done
check "-V prints the version" bash -c '"$1" -V | grep -qE "^ctop-bpf [0-9]+\.[0-9]+"' _ "$CTOP_BIN"

# Every exit status the program uses is documented, in all three places.
man_exit=$(MANWIDTH=200 man -l man/ctop-bpf.8 2>/dev/null | sed -n '/^EXIT STATUS/,/^[A-Z]/p')
for st in 0 1 2 3 128+; do
	check "exit status $st: in the man page" grep -qE "^ +$st" <<<"$man_exit"
	check "exit status $st: in the README" grep -qE "^\| $st" README.md
	check "exit status $st: in --help" grep -qE "(: |, |^)$st" "$TMP/help"
done
check "--help names the write error" grep -q "3 write error" "$TMP/help"

expect 2 "-d/--delay.*'0'" -b -d 0
expect 2 "-d/--delay.*'61'" -b -d 61
expect 2 "-d/--delay.*'abc'" -b -d abc
expect 2 "-d/--delay.*'1x'" --delay=1x
expect 2 "-d/--delay.*'0x10'" -b -d 0x10
expect 2 "-d/--delay.*'0x0.2p0'" -b -d 0x0.2p0
expect 2 "-d/--delay.*' 1'" -b -d " 1"
expect 2 "--smooth.*'0x1'" -b --smooth 0x1
expect 2 "-n/--iterations.*'0x10'" -b -n 0x10
expect 2 "-s/--sort.*'memory'" -b -s memory
expect 2 "-n/--iterations.*'0'" -b -n 0
expect 2 "-n/--iterations.*'-3'" -b -n -3
expect 2 "--smooth.*'2'" --smooth 2
expect 2 "unknown option --bogus" --bogus
expect 2 "unknown option -z" -z
expect 2 "option -d needs a value" -d
expect 2 "-j/--json only works with -b" -j
expect 2 "-p/--processes only works with -b" -p
expect 2 "unexpected argument 'extra'" -b extra

# Themes: what is not a regular file is refused at once, /proc files are
# read to their real end, and an error never quotes the file (run as root,
# -t /etc/shadow printed its first line).
mkfifo "$TMP/fifo.theme"
expect 2 "fifo.theme: not a theme file" -t "$TMP/fifo.theme" -n 1
expect 2 "/dev/zero: not a theme file" -t /dev/zero -n 1
expect 2 "/proc/self/mem: cannot read theme" -t /proc/self/mem -n 1
expect 2 "/etc/shadow:1: expected 'key = value'" -t /etc/shadow -n 1
check "-t /etc/shadow prints no line of it" bash -c \
	'! grep -qF -e "$(head -n 1 /etc/shadow | cut -d: -f1-2)" -e root: "$1"' _ "$TMP/err"
printf 'normal.fg = s3cr3t-value\n' >"$TMP/secret.theme"
expect 2 "secret.theme:1: bad color for 'normal.fg'" -t "$TMP/secret.theme" -n 1
check "a bad value is not quoted" bash -c '! grep -q s3cr3t "$1"' _ "$TMP/err"

if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CTOP_BIN" -b -n 1 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "not root: exits 1" test $rc -eq 1
	check "not root: says to run as root" grep -q "must run as root.*sudo" "$TMP/err"
else
	not_ok "setpriv is missing (util-linux)"
fi

out=$("$CTOP_BIN" -b -j -n 3 -d 0.1)
check "-n 3 prints exactly 3 JSON lines" test "$(wc -l <<<"$out")" -eq 3
check "every line is a JSON object" bash -c 'jq -e "type == \"object\"" <<<"$1" >/dev/null' _ "$out"
check "the intervals follow -d" bash -c \
	'jq -s -e "[.[1:][].interval_s] | all(. > 0.05 and . < 0.3)" <<<"$1" >/dev/null' _ "$out"
start=$(date +%s%N)
"$CTOP_BIN" -b -j -n 1 >/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
echo "# first record after ${ms} ms (sanitizer build)"
check "the first record arrives within 2 s even under the sanitizers" test "$ms" -lt 2000
"$CTOP_BIN" -b -d 0.1 | head -n 1 >/dev/null
check "a closed pipe ends batch mode quietly" test "${PIPESTATUS[0]}" -eq 0

# Write errors: a message and exit status 3; a reader that goes away is
# still a normal end (above). A closed fd 0-2 is /dev/null, so nothing
# else (a BPF link) takes its number: writes to a closed stdout fail.
# write_error DESCRIPTION STRERROR SHELL-REDIRECTIONS ARGS...
write_error() {
	local d=$1 want=$2 redir=$3 rc
	shift 3
	timeout 20 bash -c "\"\$0\" \"\$@\" $redir" "$CTOP_BIN" "$@" 2>"$TMP/err" </dev/null
	rc=$?
	if [ $rc -eq 3 ] && grep -qxF "ctop-bpf: write error: $want" "$TMP/err"; then
		ok "$d exits 3: $(head -n 1 "$TMP/err")"
	else
		not_ok "$d exited $rc, stderr: $(head -c 300 "$TMP/err")"
	fi
}
write_error "-b -n 2 >/dev/full" "No space left on device" ">/dev/full" -b -n 2 -d 0.1
write_error "-b -j -n 2 >/dev/full" "No space left on device" ">/dev/full" -b -j -n 2 -d 0.1
write_error "-b -n 2 >&-" "Bad file descriptor" ">&-" -b -n 2 -d 0.1
write_error "-h >/dev/full" "No space left on device" ">/dev/full" -h
write_error "-V >/dev/full" "No space left on device" ">/dev/full" -V
write_error "-h >&-" "Bad file descriptor" ">&-" -h
timeout 20 "$CTOP_BIN" -b -j -n 1 <&- 2>&- >"$TMP/out"
check "stdin and stderr closed: batch output still works" \
	bash -c '[ "$1" = 0 ] && jq -e .host "$2" >/dev/null' _ $? "$TMP/out"

# A process names itself with control bytes, a bidi override and a
# zero-width space (PR_SET_NAME, 15 bytes, 10 characters in the column): the table shows each as '?',
# the JSON keeps the name exactly, escaped.
"$OUT/tests/workload" name $'\x1b]0;x\x07\r\n\xe2\x80\xae\xe2\x80\x8bz' hold &
evil_pid=$!
sleep 0.5
"$CTOP_BIN" -b -a -p -n 1 >"$TMP/evil.txt" 2>"$TMP/err"
check "prctl name: the table has a row for the process" grep -qE "^ +$evil_pid " "$TMP/evil.txt"
check "prctl name: no control byte reaches the terminal" \
	bash -c '! tr -d "\n" <"$1" | LC_ALL=C grep -q "[[:cntrl:]]"' _ "$TMP/evil.txt"
check "prctl name: no bidi override or zero-width space either" \
	bash -c '! grep -qF -e "$(printf "\342\200\256")" -e "$(printf "\342\200\213")" "$1"' _ "$TMP/evil.txt"
check "prctl name: shown as '?' in its column" grep -qE "^ +$evil_pid +[0-9]+ \?]0;x\?{5} " "$TMP/evil.txt"
"$CTOP_BIN" -b -j -a -p -n 1 >"$TMP/evil.json" 2>"$TMP/err"
check "prctl name: the JSON keeps it exactly" jq -e --argjson pid "$evil_pid" \
	'[.containers[].processes[]? | select(.pid == $pid) | .comm] == ["\u001b]0;x\u0007\r\n\u202e\u200bz"]' \
	"$TMP/evil.json"
check "prctl name: the JSON text is plain ASCII" bash -c '! LC_ALL=C grep -q "[^ -~]" "$1"' _ "$TMP/evil.json"
kill "$evil_pid" 2>/dev/null
wait "$evil_pid" 2>/dev/null

# tracefs is not needed (tp_btf and iter only): unmounted, it still runs.
if mountpoint -q /sys/kernel/tracing; then
	umount /sys/kernel/tracing 2>/dev/null && remount=1
fi
check "runs without tracefs mounted" bash -c '"$1" -b -j -n 1 | jq -e .host >/dev/null' _ "$CTOP_BIN"
[ "${remount:-0}" = 1 ] && mount -t tracefs nodev /sys/kernel/tracing

# The install must not harm the host: make and make run install only the
# build set, only make test and make bench add the test tools, and
# docker.io never comes where a runtime binary is already installed.
build_set=$(./tests/deps.sh --list build 2>&1)
check "deps: the build set has the compiler and the libraries" bash -c \
	'for p in gcc clang bpftool libbpf-dev libelf-dev zlib1g-dev libjansson-dev libncurses-dev pkg-config make; do
		grep -qx "$p" <<<"$1" || exit 1; done' _ "$build_set"
check "deps: the build set has no test tool and no docker" bash -c \
	'! grep -qxE "libcriterion-dev|busybox-static|tmux|jq|groff|man-db|docker.io|containerd|qemu.*" <<<"$1"' \
	_ "$build_set"
for target in all run install; do
	check "make -n $target installs the build set only" bash -c \
		'make -n --no-print-directory "$1" 2>/dev/null | grep -q "deps.sh build" &&
		 ! make -n --no-print-directory "$1" 2>/dev/null | grep -qE "deps.sh( test|\s*$)"' _ $target
done
for target in test bench; do
	check "make -n $target installs the test set" bash -c \
		'make -n --no-print-directory "$1" 2>/dev/null | grep -q "deps.sh test"' _ $target
done
check_readme_set() { # SET ROW-PREFIX: the README row names every package of the set
	local row p
	row=$(grep -F -- "$2" README.md) || return 1
	for p in $(./tests/deps.sh --list "$1" 2>/dev/null); do
		# the test row names the build set as such
		[ "$1" = test ] && ./tests/deps.sh --list build | grep -qx "$p" && continue
		grep -qE "(: |, )$p( |,|$)" <<<"$row" || { echo "# README lacks $p"; return 1; }
	done
}
check "README names every package of the build set" check_readme_set build '| `make`, `make run`'
check "README names every package of the test set" check_readme_set test '| `make test`'
mkdir -p "$TMP/bin-none" "$TMP/bin-ctrd"
printf '#!/bin/sh\n' >"$TMP/bin-ctrd/containerd"
chmod +x "$TMP/bin-ctrd/containerd"
check "deps: no runtime anywhere: the test set brings docker.io" bash -c \
	'env PATH="$1" DEPS_RUNTIME_DIRS="$1" /bin/bash tests/deps.sh --list test | grep -qx docker.io' \
	_ "$TMP/bin-none"
check "deps: a containerd there: no docker.io" bash -c \
	'! env PATH="$1" DEPS_RUNTIME_DIRS="$1" /bin/bash tests/deps.sh --list test | grep -qx docker.io' \
	_ "$TMP/bin-ctrd"
check "deps: a containerd in /usr/bin-like folders (not on PATH): no docker.io" bash -c \
	'! env PATH="$1" DEPS_RUNTIME_DIRS="$2" /bin/bash tests/deps.sh --list test | grep -qx docker.io' \
	_ "$TMP/bin-none" "$TMP/bin-ctrd"

mkdir -p "$TMP/bin-cli"
printf '#!/bin/sh\n' >"$TMP/bin-cli/docker"
chmod +x "$TMP/bin-cli/docker"
check "deps: a lone docker client no package owns is no runtime: docker.io comes" bash -c \
	'env PATH="$1" DEPS_RUNTIME_DIRS="$1" /bin/bash tests/deps.sh --list test | grep -qx docker.io' \
	_ "$TMP/bin-cli"

# make install / uninstall honour PREFIX and DESTDIR.
root=$TMP/root
if make -s --no-print-directory install DESTDIR="$root" PREFIX=/usr >"$TMP/inst" 2>&1; then
	check "install: the binary in PREFIX/sbin" test -x "$root/usr/sbin/ctop-bpf"
	check "install: the man page in PREFIX/share/man/man8" test -f "$root/usr/share/man/man8/ctop-bpf.8"
	check "install: the themes in PREFIX/share/ctop-bpf/themes" \
		test -f "$root/usr/share/ctop-bpf/themes/default.theme" -a \
		-f "$root/usr/share/ctop-bpf/themes/mono.theme"
	check "install: the man page renders" bash -c \
		'MANWIDTH=80 man -l "$1" 2>/dev/null | grep -q "ctop-bpf"' _ "$root/usr/share/man/man8/ctop-bpf.8"
	make -s --no-print-directory uninstall DESTDIR="$root" PREFIX=/usr >/dev/null 2>&1
	check "uninstall removes them" bash -c \
		'! test -e "$1/usr/sbin/ctop-bpf" && ! test -e "$1/usr/share/man/man8/ctop-bpf.8" &&
		 ! test -e "$1/usr/share/ctop-bpf"' _ "$root"
else
	not_ok "make install DESTDIR=$root failed: $(tail -n 3 "$TMP/inst")"
fi

finish
