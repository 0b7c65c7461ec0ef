#!/bin/sh
# load.sh - the daemon under load (issue 7, item 4): the bench's
# milter-protocol load generator (../shared/bench/miltergen, which plays
# Postfix's side and checks every edit) against the real daemon on a
# unix socket.
#
#  1. Every input once: each bounce of tests/corpus and of
#     ../shared/corpus/sisimai (when present) is sent alone with the null
#     sender, to plainbounce and to the bench's replace-body baseline
#     (which only prepends text: an edit it is blamed for is a defect of
#     the input, e.g. a truncated MIME body without its close
#     delimiter).  Each must pass with no protocol error, be modified
#     exactly when plainbounce-explain rewrites it, and carry no invalid
#     edit that the baseline does not.
#  2. Load: PB_LOAD_CONNS (64) concurrent connections, a warm-up of a
#     fifth (5,000 at least), then PB_LOAD_MESSAGES (10,000; `make
#     check-load`: 100,000) messages, one in four a bounce from the
#     rewritten inputs with a valid structure, the others synthetic
#     ordinary mail (the bench's gencorpus).  0 protocol errors, 0
#     invalid edits, every bounce explained (one log line each), no
#     ordinary message touched, no `err` line, and resident memory
#     (VmRSS) at the end within max(3 MiB, 10 %) of the value after
#     warm-up (not judged in a sanitizer build, whose quarantine holds
#     freed memory; there the clean stop shows that LeakSanitizer found
#     no leak).
#
# Prints the figures as "# load:" lines.  Exit 77 (skip) without the
# daemon (no libmilter), without ../shared/bench or without python3.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
pb=$builddir/milter/plainbounce
explain=$builddir/cli/plainbounce-explain
bench=${PB_BENCH:-$srcdir/../shared/bench}
sis=$srcdir/../shared/corpus/sisimai
here=$srcdir/tests/reliability
py=${PYTHON3:-python3}
total=${PB_LOAD_MESSAGES:-10000}
conns=${PB_LOAD_CONNS:-64}
ratio=0.25

[ -x "$pb" ] || { echo "SKIP: no $pb (built without libmilter)"; exit 77; }
[ -f "$bench/miltergen.c" ] || { echo "SKIP: no $bench"; exit 77; }
command -v "$py" >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
[ -x "$explain" ] || { echo "missing $explain"; exit 99; }

. "$srcdir/tests/tap.sh"
tap_init pbload

# The bench tools, built here: ../shared is read-only in CI, and the
# make flags of this build (e.g. -Werror) are not theirs.
bin=$tmp/bench
MAKEFLAGS= MAKELEVEL= make -s -C "$bench" BUILD="$bin" CFLAGS='-O2 -g' \
	"$bin/miltergen" "$bin/gencorpus" "$bin/replace-body" >"$tmp/build.log" 2>&1 ||
	{ cat "$tmp/build.log"; echo "cannot build the bench tools"; exit 99; }
gen=$bin/miltergen

# start NAME COMMAND...: a milter in the background on $tmp/NAME.sock
start() {
	name=$1; shift
	"$@" >"$tmp/$name.log" 2>&1 &
	pids="$pids $!"
	eval "${name}_pid=$!"
	i=0; while [ ! -S "$tmp/$name.sock" ] && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1)); done
	[ -S "$tmp/$name.sock" ] || { cat "$tmp/$name.log"; echo "$name did not start"; exit 99; }
}
printf 'LogLevel notice\nStatsInterval 0\n' >"$tmp/pb.conf"
start pb "$pb" -f -c "$tmp/pb.conf" -p "unix:$tmp/pb.sock"
start rb "$bin/replace-body" -p "unix:$tmp/rb.sock"

# --- 1. every input once --------------------------------------------------------
mkdir "$tmp/in" "$tmp/one"
{ ls "$srcdir"/tests/corpus/*/*.eml
  [ -d "$sis" ] && find "$sis" -name '*.eml' | sort; } >"$tmp/files"
i=0
while read -r f; do
	i=$((i + 1))
	ln -s "$f" "$tmp/in/$i.eml"
	"$explain" "$f" >"$tmp/one/x.eml" 2>/dev/null
	if [ "$(tr -cd '\n' <"$f" | wc -c)" -eq 0 ]; then ch=-
	elif cmp -s "$f" "$tmp/one/x.eml"; then ch=0; else ch=1; fi
	"$gen" -q -s "unix:$tmp/pb.sock" -n 1 -B "$f" >"$tmp/one/$i.pb" 2>/dev/null
	"$gen" -q -s "unix:$tmp/rb.sock" -n 1 -B "$f" >"$tmp/one/$i.rb" 2>/dev/null
	echo "$i $ch $tmp/one/$i.pb $tmp/one/$i.rb"
done <"$tmp/files" >"$tmp/inputs"
check "every input once: no protocol error, modified iff plainbounce-explain rewrites it, no invalid edit of its own" \
	"$py" "$here/loadcheck.py" inputs "$tmp/inputs" "$tmp/loadset"
sed 's/^/# load: /' "$tmp/out"
# the names in the failures, as paths
grep -o '^FAIL [0-9]*' "$tmp/out" | while read -r _ k; do
	echo "#   $k = $(sed -n "${k}p" "$tmp/files")"; done | head -20
kill -TERM "$rb_pid"

# --- 2. load ----------------------------------------------------------------------
mkdir "$tmp/bounce"
while read -r k; do ln -s "$(readlink "$tmp/in/$k.eml")" "$tmp/bounce/$k.eml"; done <"$tmp/loadset"
[ -n "$(ls "$tmp/bounce")" ] || { echo "empty load set"; exit 99; }
"$bin/gencorpus" -o "$tmp/normal" -n 64 >/dev/null || exit 99

rss() { sed -n 's/^VmRSS:[ \t]*\([0-9]*\) kB/\1/p' "/proc/$pb_pid/status"; }
# load COUNT JSON: one miltergen run, judged
load() {
	"$gen" -q -s "unix:$tmp/pb.sock" -c "$conns" -n "$1" -r "$ratio" \
		-N "$tmp/normal" -B "$tmp/bounce" --max-time 1800 >"$2" 2>"$2.err"
	"$py" "$here/loadcheck.py" run "$2" "$1"
}
warm=$((total / 5))
[ $warm -ge 5000 ] || warm=5000
check "warm-up: $warm messages over $conns connections" load $warm "$tmp/warm.json"
sleep 1
rss_warm=$(rss)
log0=$(wc -l <"$tmp/pb.log")
# sample VmRSS each second while the main run goes on
( while kill -0 "$pb_pid" 2>/dev/null; do rss; sleep 1; done ) >"$tmp/rss.samples" 2>/dev/null &
sampler=$!
pids="$pids $sampler"
start_s=$(date +%s)
check "load: $total messages over $conns connections, 0 protocol errors, 0 invalid edits, every bounce explained, no ordinary message touched" \
	load "$total" "$tmp/main.json"
end_s=$(date +%s)
read -r rate nb nn <"$tmp/out" || rate=0 nb=0 nn=0
case "$rate$nb$nn" in *[!0-9]*) rate=0 nb=0 nn=0 ;; esac
kill "$sampler" 2>/dev/null
sleep 1
rss_end=$(rss)
rss_peak=$( (cat "$tmp/rss.samples"; echo "$rss_end") | sort -n | tail -1)
explained_logged() {
	want=$nb
	got=$(tail -n +$((log0 + 1)) "$tmp/pb.log" | grep -c ': explained kind=')
	echo "explained log lines: $got, bounces sent: $want"
	[ "$got" -eq "$want" ]
}
check "one 'explained' log line per bounce" explained_logged
check "no err line in the daemon's log" sh -c "! grep -E '(err|crit|alert|emerg):' '$tmp/pb.log'"
rss_flat() {
	lim=$((rss_warm / 10)); [ $lim -ge 3072 ] || lim=3072
	echo "VmRSS after warm-up ${rss_warm} kB, at the end ${rss_end} kB, peak ${rss_peak} kB, limit +$lim kB"
	[ -n "$rss_warm" ] && [ -n "$rss_end" ] && [ $((rss_end - rss_warm)) -le $lim ]
}
# AddressSanitizer keeps freed memory in quarantine: no RSS figure there
if grep -q '^SANITIZE_CFLAGS = .*-fsanitize' "$builddir/Makefile" 2>/dev/null; then
	ok "resident memory: not judged under the sanitizers # SKIP"
else
	check "resident memory flat after warm-up" rss_flat
fi
stop_pb() { kill -TERM "$pb_pid" && wait "$pb_pid"; }
check "the daemon stops cleanly on SIGTERM after the load" stop_pb

echo "# load: $total messages ($nb bounces, $nn ordinary) over $conns connections in $((end_s - start_s)) s: $rate msgs/s"
echo "# load: VmRSS after warm-up ${rss_warm} kB, at the end ${rss_end} kB, peak ${rss_peak} kB"
tap_end
