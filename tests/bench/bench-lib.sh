#!/bin/sh
# bench-lib.sh - `make bench`: the library (tests/bench/bench-lib) and
# Sisimai 4 (libsisimai-perl, through ../shared/corpus/bin/
# sisimai-oracle.pl) on the same messages of ../shared/corpus/sisimai,
# each pinned to one core, in alternating rounds.
#
# Prints, per round, our messages per CPU second (analysis and rewrite,
# files already in memory), Sisimai's (its start-up, measured on one
# file, taken out), and their ratio; then the median ratio, and our
# instructions per message from callgrind with the 15 functions that
# cost most (the hot path).
#
# Environment: BENCH_ITER passes over the corpus per round [20],
# BENCH_ROUNDS [3], BENCH_CPU the core to pin to [0], BENCH_OUT a
# directory to keep the callgrind profile in [none], PB_CORPUS the
# corpus [$srcdir/../shared/corpus/sisimai].
# Without the corpus it says so and exits 0; without Sisimai or valgrind
# it skips that part.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
python=${PYTHON3:-python3}
iter=${BENCH_ITER:-20}
rounds=${BENCH_ROUNDS:-3}
cpu=${BENCH_CPU:-0}
corpus=${PB_CORPUS:-$srcdir/../shared/corpus/sisimai}
if [ ! -d "$corpus/maildir" ]; then
	echo "bench: no corpus at $corpus: skipped"
	exit 0
fi
corpus=$(cd "$corpus" && pwd)
oracle=$corpus/../bin/sisimai-oracle.pl
bench=$(cd "$builddir" && pwd)/tests/bench/bench-lib
dirs="maildir to-be-debugged-because"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c $cpu"

# cpusec CMD... - run CMD (stdout discarded), print its CPU seconds
cpusec() {
	"$python" -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f" % (r.ru_utime + r.ru_stime))' "$@"
}

sisimai=no
if [ -f "$oracle" ] && perl -MSisimai -e 1 2>/dev/null; then
	sisimai=yes
	one=$(cd "$corpus" && find maildir -name '*.eml' | sort | head -1)
else
	echo "bench: Sisimai (libsisimai-perl) or $oracle missing: comparison skipped"
fi

cd "$corpus" || exit 1
n=$(find $dirs -name '*.eml' | wc -l)
echo "bench: $n messages from $corpus ($dirs), $iter passes per round," \
    "$rounds rounds, ${pin:-not pinned}"
printf "%-6s %14s %14s %14s %8s\n" round "ours msg/s" "sisimai msg/s" \
    "sisimai+start" ratio
: >"$tmp/ratios"
r=1
while [ "$r" -le "$rounds" ]; do
	line=$($pin "$bench" -n "$iter" $dirs) || { echo "$line"; exit 1; }
	ours=$(echo "$line" | sed 's/.*msgs_per_s \([0-9.]*\).*/\1/')
	if [ "$sisimai" = yes ]; then
		tall=$(cpusec $pin perl "$oracle" $dirs) || exit 1
		tone=$(cpusec $pin perl "$oracle" "$one") || exit 1
		set -- $(awk -v a="$tall" -v o="$tone" -v n="$n" -v us="$ours" \
		    'BEGIN { s = (a > o) ? (n - 1) / (a - o) : 0;
		             printf "%.1f %.1f %.1f", s, n / a, (s > 0) ? us / s : 0 }')
		echo "$3" >>"$tmp/ratios"
		printf "%-6s %14s %14s %14s %7sx\n" "$r" "$ours" "$1" "$2" "$3"
	else
		printf "%-6s %14s %14s %14s %8s\n" "$r" "$ours" - - -
	fi
	r=$((r + 1))
done
echo "bench: $line"
if [ -s "$tmp/ratios" ]; then
	sort -n "$tmp/ratios" | awk '{ v[NR] = $1 } END {
	    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
	    printf "bench: ours / Sisimai %s (start-up excluded), messages per CPU second on one core: median %.1fx (min %.1fx, max %.1fx; target >= 100x)\n",
	        "'"$(perl -MSisimai -e 'print Sisimai->version')"'", m, v[1], v[NR] }'
fi

if ! command -v valgrind >/dev/null 2>&1; then
	echo "bench: no valgrind: instruction counts skipped"
	exit 0
fi
out=${BENCH_OUT:-$tmp}
mkdir -p "$out"
valgrind --tool=callgrind --collect-atstart=no --toggle-collect=run_corpus \
    --callgrind-out-file="$out/bench-lib.callgrind" \
    "$bench" -q -n 1 $dirs 2>"$tmp/vg.log" || { cat "$tmp/vg.log"; exit 1; }
ir=$(awk '/^summary:/ { print $2; exit } /^totals:/ { t = $2 }
    END { if (t) print t }' "$out/bench-lib.callgrind" | head -1)
awk -v ir="$ir" -v n="$n" 'BEGIN {
    printf "bench: instructions per message (callgrind, analysis + rewrite + render): %.0f\n", ir / n }'
if command -v callgrind_annotate >/dev/null 2>&1; then
	echo "bench: hot path, instructions by function (self cost):"
	callgrind_annotate "$out/bench-lib.callgrind" 2>/dev/null |
	    awk '/^-+$/ { d++; next } d >= 4 && NF && !/file:function/' |
	    sed -n 1,16p | sed -e 's/ \[[^]]*\]$//' -e 's|  [^ ]*/|  |'
fi
