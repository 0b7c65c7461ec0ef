#!/bin/sh
# reparse.sh - every rewritten message must re-parse with GMime and with
# Python's email package into the same structure, with the report parts
# and the returned original byte-identical (tests/reparse.py,
# tests/tools/reparse-gmime).  Runs on the project's corpus and, when it
# is there, on ../shared/corpus/sisimai.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
explain="$builddir/cli/plainbounce-explain"
gmime="$builddir/tests/tools/reparse-gmime"
python=${PYTHON3:-python3}
command -v "$python" >/dev/null 2>&1 || { echo "no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 same=0
check() { # check FILE
	"$explain" "$1" >"$tmp/new" 2>"$tmp/err" || {
		echo "FAIL $1: explain exit $?: $(cat "$tmp/err")"; fail=1; return; }
	if cmp -s "$1" "$tmp/new"; then
		same=$((same + 1)); return   # nothing to explain: unchanged
	fi
	n=$((n + 1))
	"$python" "$srcdir/tests/reparse.py" "$1" "$tmp/new" >"$tmp/py" 2>&1 || {
		echo "FAIL $1 (python):"; head -5 "$tmp/py"; fail=1; }
	"$gmime" "$1" "$tmp/new" 2>"$tmp/gm" || {
		echo "FAIL $1 (gmime):"; head -5 "$tmp/gm"; fail=1; }
}
for f in "$srcdir"/tests/corpus/*/*.eml; do check "$f"; done
corpus="$srcdir/../shared/corpus/sisimai"
if [ -d "$corpus/maildir" ]; then
	for f in "$corpus"/maildir/*/*.eml; do check "$f"; done
fi
echo "reparse: $n rewritten messages checked, $same left unchanged"
exit $fail
