#!/bin/sh
# hostile.sh - the hostile input set (tests/hostile/cases.py: broken
# MIME, deep nesting, huge headers and fields, NUL bytes, bad encodings
# and charsets, 100,000 recipients, odd line ends, injection attempts),
# made at test time and checked by tests/hostile/check.py: no crash,
# time and memory within bounds, and the output is the input unchanged
# or a rewrite to which the bounce's text added no header, boundary,
# link or markup.  The 50 MB bounce is tests/big-bounce.sh.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
python=${PYTHON3:-python3}
command -v "$python" >/dev/null 2>&1 || { echo "no python3"; exit 77; }
explain=$(cd "$builddir" && pwd)/cli/plainbounce-explain
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$python" "$srcdir/tests/hostile/check.py" "$explain" "$tmp"
