#!/bin/sh
# smoke.sh - the bench program (tests/bench/bench-lib.c) still builds and
# runs: two iterations over tests/corpus must succeed, find bounces,
# rewrite them, and give the same tallies both times.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
out=$("$builddir/tests/bench/bench-lib" -n 2 "$srcdir/tests/corpus") || {
	echo "bench-lib failed: $out"
	exit 1
}
echo "$out"
set -- $out
# messages N bytes N iterations N cpu_s F wall_s F msgs_per_s F mb_per_s F
# bounces N changed N out_bytes N
[ "$1" = messages ] && [ "$2" -gt 10 ] || { echo "too few messages"; exit 1; }
[ "${16}" -gt 5 ] || { echo "too few bounces: ${16}"; exit 1; }
[ "${18}" -gt 5 ] || { echo "too few rewritten: ${18}"; exit 1; }
[ "${20}" -gt "$4" ] || { echo "output smaller than input"; exit 1; }
exit 0
