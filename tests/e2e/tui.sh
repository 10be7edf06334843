#!/usr/bin/env bash
# End-to-end test of the screen: the real binary in tmux, against real
# Docker containers. Needs root, dockerd running and the image
# ctoptest:latest (tests/run.sh sees to both). CTOP_BIN names the binary.
# Prints "ok - ..." / "not ok - ..." lines and one "N passed, M failed".
set -u
# For wait_for and wait_gone; this script keeps its own check and finish.
source tests/e2e/lib.sh

BIN=${CTOP_BIN:-./ctop-bpf}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
IMAGE=${CTOP_TEST_IMAGE:-ctoptest:latest}
PREFIX=tuie2e-$$
SOCK=tuie2e-$$
SESSION=t
pass=0
fail=0

ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { # check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
skip_or_fail() {
	if [ "${CI:-}" = true ]; then
		notok "$1 (CI=true: a skip is a failure)"
	else
		echo "ok - # SKIP $1"
	fi
	finish
}

command -v tmux >/dev/null || skip_or_fail "tmux is not installed"
command -v docker >/dev/null || skip_or_fail "docker is not installed"
docker info >/dev/null 2>&1 || skip_or_fail "dockerd is not running"
docker image inspect "$IMAGE" >/dev/null 2>&1 || skip_or_fail "image $IMAGE is missing"
[ -x "$BIN" ] || skip_or_fail "$BIN is not built"
[ "$(id -u)" = 0 ] || skip_or_fail "not root"

export LC_ALL=C.UTF-8 LANG=C.UTF-8
T() { tmux -L "$SOCK" "$@"; }
screen() { T capture-pane -p -t "$SESSION" 2>/dev/null; }
ERRLOG=$(mktemp)
cleanup() {
	T kill-server 2>/dev/null
	rm -f "$ERRLOG"
	docker rm -f "$PREFIX-alpha" "$PREFIX-beta" "$PREFIX-zw" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- bad theme: exit 2, file and line named, before the screen starts ----
err=$("$BIN" -t tests/fixtures/themes/bad_color.theme -n 1 2>&1 </dev/null)
rc=$?
check "a malformed theme exits 2" [ "$rc" = 2 ]
check "the theme error names file and line" \
	grep -qF "ctop-bpf: tests/fixtures/themes/bad_color.theme:3: bad color" <<<"$err"

# ---- two containers ----
docker run -d --network none --name "$PREFIX-alpha" "$IMAGE" sleep 3600 >/dev/null &&
	docker run -d --network none --name "$PREFIX-beta" "$IMAGE" sleep 3600 >/dev/null
check "two test containers started" [ $? = 0 ]

# A plain shell in the pane, so that after quitting we can see the tty modes.
T -f /dev/null new-session -d -s "$SESSION" -x 120 -y 40 "env PS1='$ ' bash --norc --noprofile"
T set-option -t "$SESSION" remain-on-exit on >/dev/null
sleep 0.3
T send-keys -t "$SESSION" "clear; TERM=screen-256color '$BIN' 2>>$ERRLOG; echo EXIT=\$?; stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo" Enter

check "both containers are shown" wait_for "$PREFIX-alpha" 10
check "beta too" wait_for "$PREFIX-beta" 5
s=$(screen)
hdr_ok=true
for h in NAME CPU% RSS "DISK R/s" "DISK W/s" "NET RX/s" "NET TX/s" PIDS Containers; do
	grep -qF -- "$h" <<<"$s" || { hdr_ok=false; echo "# missing header: $h"; }
done
check "column titles and the summary line are shown" $hdr_ok
check "the alternate screen is on while running" [ "$(T display -p -t "$SESSION" '#{alternate_on}')" = 1 ]

# ---- the filter narrows as you type ----
T send-keys -t "$SESSION" / && T send-keys -t "$SESSION" -l "alpha"
check "the filter prompt shows what is typed" wait_for "Filter containers: alpha" 3
check "/alpha hides beta" wait_gone "$PREFIX-beta" 3
check "/alpha keeps alpha" wait_for "$PREFIX-alpha" 1
T send-keys -t "$SESSION" Enter
check "Enter keeps the filter" wait_for "Filter alpha" 3

# ---- drill-down ----
T send-keys -t "$SESSION" Enter
check "Enter shows the container's processes" wait_for "Processes of $PREFIX-alpha" 3
check "the process list shows sleep" wait_for "sleep 3600" 3
check "the process view has its columns" wait_for "COMMAND" 1
T send-keys -t "$SESSION" t
sleep 0.3
check "t toggles to a flat list" wait_for "flat" 2
T send-keys -t "$SESSION" Escape
check "Esc goes back to the table" wait_gone "Processes of" 3

# ---- Esc clears the filter ----
T send-keys -t "$SESSION" Escape
check "Esc in the table clears the filter" wait_for "$PREFIX-beta" 3

# ---- sparklines ----
T send-keys -t "$SESSION" g
sleep 2.5
s=$(screen)
check "g shows a CPU sparkline line" grep -qE '^CPU .*now .*peak' <<<"$s"
check "g shows RSS, DISK and NET lines" bash -c 'grep -q "^RSS " <<<"$1" && grep -q "^DISK " <<<"$1" && grep -q "^NET " <<<"$1"' _ "$s"
check "the RSS sparkline has block characters" grep -qE '^RSS +.*[▁▂▃▄▅▆▇█]' <<<"$s"
T send-keys -t "$SESSION" g

# ---- sorting and help ----
T send-keys -t "$SESSION" N
check "N sorts by name (marked)" wait_for "NAME▼" 3
T send-keys -t "$SESSION" h
check "h shows the help" wait_for "SORTING (the sorted column" 3
T send-keys -t "$SESSION" Escape
check "Esc leaves the help" wait_for "PIDS" 3

# ---- small terminals ----
T resize-window -t "$SESSION" -x 80 -y 24
sleep 1.2
s=$(screen)
w=$(wc -L <<<"$s")
check "80x24: nothing wider than 80 columns" [ "$w" -le 80 ]
check "80x24: names and all rate columns shown" bash -c 'grep -qF "$2" <<<"$1" && grep -qF "NET TX/s" <<<"$1" && grep -qF PIDS <<<"$1"' _ "$s" "$PREFIX-alpha"
T resize-window -t "$SESSION" -x 40 -y 10
sleep 1.2
check "40x10: still running and drawing" wait_for "NAME" 3
T resize-window -t "$SESSION" -x 12 -y 3
sleep 0.8
T resize-window -t "$SESSION" -x 120 -y 40
check "back from 12x3 without a crash" wait_for "$PREFIX-alpha" 3

# ---- the container shown exits ----
T send-keys -t "$SESSION" / && T send-keys -t "$SESSION" -l beta && T send-keys -t "$SESSION" Enter Enter
check "drilled into beta" wait_for "Processes of $PREFIX-beta" 3
docker rm -f "$PREFIX-beta" >/dev/null 2>&1
check "a container that exits while shown is reported" wait_for "$PREFIX-beta has exited" 6
check "and the table comes back" wait_gone "Processes of" 2
T send-keys -t "$SESSION" Escape

# ---- quit ----
T send-keys -t "$SESSION" q
check "q exits with status 0" wait_for "EXIT=0" 5
check "the terminal is back in canonical mode with echo" wait_for "icanon echo" 3
check "the alternate screen is off after quitting" [ "$(T display -p -t "$SESSION" '#{alternate_on}')" = 0 ]

# ---- SIGTERM restores the terminal too ----
PIDFILE=$(mktemp)
T send-keys -t "$SESSION" "clear; TERM=screen-256color sh -c 'echo \$\$ > $PIDFILE; exec \"\$0\"' '$BIN' 2>>$ERRLOG; echo TERMEXIT=\$?; stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo" Enter
wait_for "$PREFIX-alpha" 10
pid=$(cat "$PIDFILE")
rm -f "$PIDFILE"
[ -n "$pid" ] && kill -TERM "$pid"
check "SIGTERM ends it with 128+15" wait_for "TERMEXIT=143" 10
check "SIGTERM leaves the terminal sane" wait_for "icanon echo" 3
check "SIGTERM leaves the alternate screen" [ "$(T display -p -t "$SESSION" '#{alternate_on}')" = 0 ]

# ---- outside a UTF-8 locale each byte from 0x80 is one '?' ----
# curses would draw U+200B's three bytes as "M-b~@~K", 6 cells counted as 3.
docker run -d --network none --name "$PREFIX-zw" "$IMAGE" \
	sh -c 'sleep 3600; true' "zw$(printf '\342\200\213')mark" >/dev/null
T send-keys -t "$SESSION" "clear; env LC_ALL=C LANG=C TERM=screen-256color '$BIN' -f '$PREFIX-zw' 2>>$ERRLOG; echo CEXIT=\$?" Enter
# the typed command shows the name too: wait for the first sample's count
wait_for "Containers 1/" 10
T send-keys -t "$SESSION" Enter
check "LANG=C: the process view opens" wait_for "Processes of $PREFIX-zw" 5
check "LANG=C: U+200B shows as three '?', one a byte" wait_for "zw???mark" 5
s=$(screen)
check "LANG=C: no curses escapes (M-, ~) for the bytes" bash -c '! grep -qE "zw *(M-|~)" <<<"$1"' _ "$s"
T send-keys -t "$SESSION" q
check "LANG=C: q exits with status 0" wait_for "CEXIT=0" 5

# ---- an unusable TERM is named as the cause, with what to do ----
for term in unset empty bogus-term-xyz; do
	case $term in
	unset) env="env -u TERM" want="TERM is not set" ;;
	empty) env="env TERM=" want="TERM is empty" ;;
	*) env="env TERM=$term" want="TERM=$term is not a terminal type" ;;
	esac
	# A marker of its own (the last round's stays on the screen until
	# clear runs), quoted so the typed command line does not show it.
	mark=TERMRC_${term//-/_}
	T send-keys -t "$SESSION" "clear; $env '$BIN' -n 1; echo $mark'='\$?" Enter
	wait_for "$mark=" 10
	s=$(T capture-pane -pJ -t "$SESSION")
	check "TERM $term: exits 1" grep -q "^$mark=1" <<<"$s"
	check "TERM $term: says '$want'" grep -qF "ctop-bpf: $want" <<<"$s"
	check "TERM $term: suggests TERM=xterm or -b" grep -qE "TERM=xterm.* -b" <<<"$s"
done

# A sanitizer build reports to stderr, which the screen hides: look at it.
check "nothing on stderr (no sanitizer report)" [ ! -s "$ERRLOG" ]
[ -s "$ERRLOG" ] && sed 's/^/# /' "$ERRLOG" | head -40

finish
