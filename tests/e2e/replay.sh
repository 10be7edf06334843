#!/usr/bin/env bash
# End to end, record and replay: real Docker containers recorded with
# -b -w, replayed as batch JSON and compared byte for byte with what was
# printed live; --since/--until; bad files; a recording cut by kill -9;
# the screen on a replay in tmux (step, go to a time, drill down into a
# container that existed only then, sparklines, play); and rotation by
# --record-max and by --record-daily (across midnight, under libfaketime).
set -u
source tests/e2e/lib.sh
need_root
command -v jq >/dev/null || cannot_run "jq is not installed (make deps)"
command -v tmux >/dev/null || cannot_run "tmux is not installed (make deps)"
command -v faketime >/dev/null || cannot_run "faketime is not installed (make deps)"
start_docker
build_image || cannot_run "cannot build the test image"
case $CTOP_BIN in /*) ;; *) CTOP_BIN=$PWD/$CTOP_BIN ;; esac

P=ctoprep-$$
SOCK=ctoprep-$$
TMP=$(mktemp -d)
chmod 755 "$TMP"
REC=$TMP/rec
BG=
cleanup() {
	mountpoint -q "$TMP/small" 2>/dev/null && umount "$TMP/small"
	[ -n "$BG" ] && kill "$BG" 2>/dev/null && wait "$BG" 2>/dev/null
	tmux -L "$SOCK" kill-server 2>/dev/null
	tmux -L "$SOCK-w" kill-server 2>/dev/null
	remove_containers "$P"
	rm -rf "$TMP"
}
trap cleanup EXIT


# ---- record real containers, one of them only at the start ----
run_c early "$IMAGE" /workload burn 600
run_c steady "$IMAGE" /workload hold
"$CTOP_BIN" -b -j -p -w "$REC" -d 0.3 -n 24 >"$TMP/live.jsonl" 2>"$TMP/live.err" &
BG=$!
for _ in $(seq 1 100); do [ "$({ wc -l <"$TMP/live.jsonl"; } 2>/dev/null)" -ge 6 ] 2>/dev/null && break; sleep 0.1; done
docker rm -f "$P-early" >/dev/null
run_c late "$IMAGE" /workload burn 600
wait "$BG"
rc=$?
BG=
check "recording with -b -j -p -w -n 24 exits 0" [ "$rc" = 0 ]
check "and prints 24 refreshes" [ "$(wc -l <"$TMP/live.jsonl")" = 24 ]
check "the recording is a ctop-bpf recording" \
	[ "$(head -c 7 "$REC")" = CTOPREC ]

"$CTOP_BIN" --replay "$REC" -b -j -p >"$TMP/replay.jsonl" 2>"$TMP/replay.err"
rc=$?
check "--replay -b -j -p exits 0" [ "$rc" = 0 ]
check "--replay -b -j -p is byte for byte what -b -j -p printed live" \
	cmp -s "$TMP/live.jsonl" "$TMP/replay.jsonl"
check "a whole recording replays without a message" [ ! -s "$TMP/replay.err" ]
has() { jq -e --arg n "$P-$2" 'any(.containers[]; .name == $n)' <<<"$1" >/dev/null; }
first=$(head -n 1 "$TMP/replay.jsonl")
last=$(tail -n 1 "$TMP/replay.jsonl")
check "the early container is in the first record" has "$first" early
check "and not in the last" bash -c "! jq -e --arg n '$P-early' 'any(.containers[]; .name == \$n)' <<<'$last' >/dev/null"
check "the late one is in the last" has "$last" late
# (the batch JSON has no command lines; the screen below shows the recorded ones)
check "processes are recorded" \
	jq -e --arg n "$P-late" '.containers[] | select(.name == $n) | any(.processes[]; .comm == "workload")' <<<"$last" >/dev/null

# the table replays too, with the options of the replay
"$CTOP_BIN" --replay "$REC" -b -f "$P-steady" >"$TMP/table" 2>&1
check "a replayed table filters like live" \
	bash -c "[ \$(grep -c '^$P-steady ' '$TMP/table') = 24 ] && ! grep -q '^$P-early' '$TMP/table'"

# ---- --since and --until: the lines of that window, byte for byte ----
mapfile -t times < <(jq -r '.time' "$TMP/live.jsonl")
s5=${times[5]%.*}
u12=${times[12]%.*}
since=$(date -d "@$s5" '+%Y-%m-%d %H:%M:%S')
until=$(date -d "@$u12" '+%H:%M:%S')
from=0 to=0
for i in "${!times[@]}"; do
	t=${times[$i]%.*}
	[ "$from" = 0 ] && [ "$t" -ge "$s5" ] && from=$((i + 1))
	[ "$t" -le "$u12" ] && to=$((i + 1))
done
sed -n "${from},${to}p" "$TMP/live.jsonl" >"$TMP/window.want"
"$CTOP_BIN" --replay "$REC" -b -j -p --since "$since" --until "$until" >"$TMP/window.got"
check "--since '$since' --until $until gives records $from-$to, byte for byte" \
	cmp -s "$TMP/window.want" "$TMP/window.got"
check "--since after the end prints nothing and exits 0" \
	bash -c "[ -z \"\$('$CTOP_BIN' --replay '$REC' -b --since 23:59:59)\" ]"

# ---- bad input: a clear message and exit 2, never a hang ----
bad() { # bad DESCRIPTION FILE EXPECTED-TEXT [RUNNER...]
	local d=$1 f=$2 want=$3 out rc
	shift 3
	out=$(timeout 10 "$@" "$CTOP_BIN" --replay "$f" -b 2>&1 </dev/null)
	rc=$?
	check "$d: exit 2" [ "$rc" = 2 ]
	check "$d: says '$want'" grep -qF -- "$want" <<<"$out"
}
echo "just some text, long enough to hold a whole header of a recording, and then more" \
	>"$TMP/text"
bad "not a recording" "$TMP/text" "not a ctop-bpf recording"
head -c 60 "$REC" >"$TMP/cuthdr"
bad "a truncated header" "$TMP/cuthdr" "header is cut short"
cp "$REC" "$TMP/newer"
# version 255, far past this one's: from a newer ctop-bpf
printf '\xff' | dd of="$TMP/newer" bs=1 seek=8 conv=notrunc status=none
bad "a newer format version" "$TMP/newer" "newer"
mkdir "$TMP/dir"
bad "a directory" "$TMP/dir" "is a directory"
mkfifo "$TMP/fifo"
bad "a FIFO" "$TMP/fifo" "not a regular file"
cp "$REC" "$TMP/unreadable"
chmod 000 "$TMP/unreadable"
bad "an unreadable file" "$TMP/unreadable" "Permission denied" setpriv --reuid=65534 --regid=65534 --clear-groups
bad "a missing file" "$TMP/missing" "No such file"
out=$("$CTOP_BIN" -b -n 1 -w "$TMP/text" 2>&1 >/dev/null)
rc=$?
check "-w onto a file that is not a recording: exit 2" [ "$rc" = 2 ]
check "-w onto it says so" grep -qF "cannot record: $TMP/text: not a ctop-bpf recording" <<<"$out"
check "and leaves the file as it was" grep -q "^just some text" "$TMP/text"
if [ -e /dev/full ]; then
	out=$("$CTOP_BIN" -b -n 3 -w /dev/full 2>&1 >/dev/null)
	rc=$?
	check "-w onto a device: exit 2 and a message" \
		bash -c "[ $rc = 2 ] && grep -qF 'not a regular file' <<<'$out'"
fi

# ---- a full disk while recording: exit 3, and the file keeps what was whole ----
mkdir "$TMP/small"
if mount -t tmpfs -o size=64k tmpfs "$TMP/small" 2>/dev/null; then
	out=$(timeout 120 "$CTOP_BIN" -b -j -p -w "$TMP/small/rec" -d 0.1 2>&1 >/dev/null)
	rc=$?
	check "a full disk while recording: exit 3" [ "$rc" = 3 ]
	check "a full disk while recording: says so" \
		grep -qF "writing the recording $TMP/small/rec failed: No space left on device" <<<"$out"
	"$CTOP_BIN" --replay "$TMP/small/rec" -b -j >"$TMP/full.replay" 2>"$TMP/full.err"
	rc=$?
	check "the full recording replays, every record whole" \
		bash -c "[ $rc = 0 ] && [ \$(wc -l <'$TMP/full.replay') -ge 2 ] && [ ! -s '$TMP/full.err' ]"
	umount "$TMP/small"
else
	not_ok "cannot mount a small tmpfs to fill"
fi

# ---- kill -9 while recording, then replay ----
"$CTOP_BIN" -b -j -w "$TMP/killed" -d 0.1 >"$TMP/killed.live" 2>/dev/null &
BG=$!
for _ in $(seq 1 100); do [ "$(wc -l <"$TMP/killed.live" 2>/dev/null)" -ge 15 ] 2>/dev/null && break; sleep 0.1; done
kill -9 "$BG"
wait "$BG" 2>/dev/null
BG=
"$CTOP_BIN" --replay "$TMP/killed" -b -j >"$TMP/killed.replay" 2>"$TMP/killed.err"
rc=$?
n=$(wc -l <"$TMP/killed.live")
check "a recording killed with -9 replays: exit 0" [ "$rc" = 0 ]
check "every refresh printed before the kill is replayed, byte for byte" \
	cmp -s "$TMP/killed.live" <(head -n "$n" "$TMP/killed.replay")
# a cut inside the last record, as a power loss leaves it
size=$(stat -c %s "$TMP/killed")
truncate -s $((size - 5)) "$TMP/killed"
"$CTOP_BIN" --replay "$TMP/killed" -b -j >"$TMP/cut.replay" 2>"$TMP/cut.err"
rc=$?
m=$(wc -l <"$TMP/killed.replay")
check "a recording cut inside a record replays: exit 0" [ "$rc" = 0 ]
check "everything before the cut, byte for byte" \
	cmp -s "$TMP/cut.replay" <(head -n $((m - 1)) "$TMP/killed.replay")
check "and says where it ends" grep -qE "killed ends in a cut record at byte [0-9]+" "$TMP/cut.err"
# recording again appends after the last whole record
"$CTOP_BIN" -b -j -w "$TMP/killed" -n 2 -d 0.1 >/dev/null 2>&1
"$CTOP_BIN" --replay "$TMP/killed" -b -j >"$TMP/again.replay" 2>"$TMP/again.err"
check "recording onto the cut file drops the cut record and goes on" \
	bash -c "[ \$(wc -l <'$TMP/again.replay') = $((m + 1)) ] && [ ! -s '$TMP/again.err' ]"

# ---- the screen on a replay ----
export LC_ALL=C.UTF-8 LANG=C.UTF-8
T() { tmux -L "$SOCK" "$@"; }
screen() { T capture-pane -p -t r 2>/dev/null; }
hms() { date -d "@${1%.*}" '+%Y-%m-%d %H:%M:%S'; }
T new-session -d -s r -x 140 -y 45 "$CTOP_BIN --replay '$REC'; echo EXIT=\$?; sleep 60"
check "the replay's header says REPLAY" wait_for "ctop-bpf REPLAY on $(hostname)"
check "and shows the first record's time, paused" wait_for "Replay $(hms "${times[0]}") paused"
check "the first record has the early container" wait_for "$P-early"
T send-keys -t r ']'
check "] steps to the second record" wait_for "Replay $(hms "${times[1]}") paused"
T send-keys -t r '$'
check "\$ goes to the last record" wait_for "Replay $(hms "${times[23]}") paused"
check "where the early container is gone" wait_gone "$P-early"
check "and the late one is there" wait_for "$P-late"
T send-keys -t r '['
check "[ steps back" wait_for "Replay $(hms "${times[22]}") paused"
# go to the time of record 2, typed
T send-keys -t r G
check "G asks for a time" wait_for "Go to (HH:MM[:SS]"
typed=${times[3]%.*}
T send-keys -t r "$(date -d "@$typed" '+%H:%M:%S')" Enter
# the last record at or before the typed second (the first, if none is)
at=0
for i in "${!times[@]}"; do
	awk -v a="${times[$i]}" -v b="$typed" 'BEGIN { exit !(a <= b) }' && at=$i
done
check "G HH:MM:SS goes to the last record at or before it (record $((at + 1)))" \
	wait_for "Replay $(hms "${times[$at]}") paused"
check "the early container is back" wait_for "$P-early"
# drill down into it: it exists only then
T send-keys -t r / "$P-early" Enter
T send-keys -t r Enter
check "Enter drills down into the early container" wait_for "Processes of $P-early"
check "its recorded process and command line" wait_for "/workload burn 600"
T send-keys -t r t
check "t shows them flat" wait_for "flat"
T send-keys -t r Escape
T send-keys -t r Escape
T send-keys -t r '$' g
check "g shows the sparklines at the end" wait_for "$P-late"
check "with a recorded history drawn" bash -c "$(declare -f screen T); SOCK=$SOCK; screen | grep -E '^CPU ' | grep -qE '[▁▂▃▄▅▆▇█]'"
T send-keys -t r '^'
check "^ goes back to the first record" wait_for "Replay $(hms "${times[0]}") paused"
T send-keys -t r x
check "x sets the speed" wait_for "replay speed 10x"
T send-keys -t r ' '
check "Space plays" wait_for "playing 10x"
check "and playing stops at the end" wait_for "paused at the end" 15
T send-keys -t r q
check "q quits the replay with 0" wait_for "EXIT=0"
T kill-server 2>/dev/null

# ---- -w while the screen runs (a server of its own: the last one may still be going) ----
SOCK=$SOCK-w
T new-session -d -s r -x 120 -y 30 "$CTOP_BIN -w '$TMP/screen.rec' -d 0.2; echo EXIT=\$?; sleep 60"
wait_for "$P-steady" 15
sleep 1.5
T send-keys -t r q
check "the screen with -w quits with 0" wait_for "EXIT=0"
n=$("$CTOP_BIN" --replay "$TMP/screen.rec" -b -j 2>/dev/null | wc -l)
check "and recorded its refreshes ($n)" [ "$n" -ge 3 ]
T kill-server 2>/dev/null

# ---- --record-max: FILE becomes FILE.1, and the two stay under the bound ----
# 1500 shells with random 230-byte command lines make a frame's first
# record about 330 kB, and each run of ctop-bpf begins a frame: six runs
# pass 1M twice or more.
run_c many "$IMAGE" sh -c 'i=0; while [ $i -lt 1500 ]; do
	sh -c "sleep 600; :" $(tr -dc A-Za-z0-9 </dev/urandom | head -c 230) & i=$((i+1)); done; wait'
for _ in $(seq 1 300); do
	[ "$(docker exec "$P-many" sh -c 'ls /proc | grep -c "^[0-9]"' 2>/dev/null)" -ge 3000 ] && break
	sleep 0.1
done
MAX=$TMP/max.rec
maxrc=0 bounded=true largest=0
: >"$TMP/max-live.jsonl"
for _ in 1 2 3 4 5 6; do
	"$CTOP_BIN" -b -j -p -w "$MAX" --record-max 1M -d 0.2 -n 3 >>"$TMP/max-live.jsonl" \
		2>>"$TMP/max.err" || maxrc=$?
	used=$(( $(stat -c %s "$MAX") + $(stat -c %s "$MAX.1" 2>/dev/null || echo 0) ))
	[ "$used" -gt "$largest" ] && largest=$used
	[ "$used" -lt 1048576 ] || bounded=false
done
check "six runs recording with --record-max 1M exit 0" [ "$maxrc" = 0 ]
check "the recording rotated: FILE.1 is there" [ -f "$MAX.1" ]
check "FILE and FILE.1 stayed under 1 MiB after every run (at most $largest bytes)" $bounded
"$CTOP_BIN" --replay "$MAX" -b -j -p >"$TMP/max-replay.jsonl" 2>"$TMP/max-replay.err"
rc=$?
kept=$(wc -l <"$TMP/max-replay.jsonl")
check "what is kept replays with 0" [ "$rc" = 0 ]
check "and no message" [ ! -s "$TMP/max-replay.err" ]
check "the oldest records were dropped ($kept of 18 kept)" test "$kept" -ge 3 -a "$kept" -lt 18
check "what is kept is the last $kept refreshes, byte for byte as printed live" \
	cmp -s <(tail -n "$kept" "$TMP/max-live.jsonl") "$TMP/max-replay.jsonl"
docker rm -f "$P-many" >/dev/null

# ---- --record-daily across midnight, the clock moved by libfaketime ----
# Its CLOCK_MONOTONIC is faked too (the default): with
# FAKETIME_DONT_FAKE_MONOTONIC=1 its clock_nanosleep(TIMER_ABSTIME) on
# CLOCK_MONOTONIC returns at once and the refreshes do not wait.
DAY=$TMP/day.rec
midnight=$(TZ=UTC date -d '2026-03-02 00:00:00' +%s)
# libfaketime is preloaded ahead of a sanitizer build's ASan runtime,
# which then refuses to start unless told the order is fine.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
TZ=UTC faketime -f '@2026-03-01 23:59:58' "$CTOP_BIN" -b -j -p -w "$DAY" --record-daily \
	-d 0.5 -n 8 >"$TMP/day-live.jsonl" 2>"$TMP/day.err"
rc=$?
check "recording with --record-daily across midnight exits 0" [ "$rc" = 0 ]
check "and printed 8 refreshes" [ "$(wc -l <"$TMP/day-live.jsonl")" = 8 ]
check "the first refreshes are before midnight, the last after" bash -c \
	"[ \$(jq -r .time <'$TMP/day-live.jsonl' | awk -v m=$midnight '\$1 < m' | wc -l) -ge 2 ] &&
	 [ \$(jq -r .time <'$TMP/day-live.jsonl' | awk -v m=$midnight '\$1 >= m' | wc -l) -ge 2 ]"
check "at midnight FILE became FILE.1" [ -f "$DAY.1" ]
before=$("$CTOP_BIN" --replay "$DAY.1" -b -j 2>/dev/null | jq -r .time)
cp "$DAY" "$TMP/dayonly.rec"	# without a .1 beside it
after=$("$CTOP_BIN" --replay "$TMP/dayonly.rec" -b -j 2>/dev/null | jq -r .time)
check "FILE.1 holds the day before, to its last record" bash -c \
	"[ -n '$before' ] && awk -v m=$midnight '\$1 >= m { bad = 1 } END { exit bad }' <<<'$before'"
check "FILE the new day, from its first" bash -c \
	"[ -n '$after' ] && [ \$(wc -l <<<'$after') = $((8 - $(wc -l <<<"$before"))) ] &&
	 awk -v m=$midnight '\$1 < m { bad = 1 } END { exit bad }' <<<'$after'"
check "FILE.1 then FILE replay byte for byte what was printed live" \
	cmp -s <("$CTOP_BIN" --replay "$DAY" -b -j -p 2>/dev/null) "$TMP/day-live.jsonl"

finish
