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
. "$srcdir/tests/explain-env.sh"
# Under the sanitizers the time and memory bounds and the linearity are
# not judged: ASan's allocator never grows a block in place and holds
# freed memory in quarantine, so GMime's growing header buffer turns
# quadratic there (a 10 MB folded header takes minutes, 0.5 s without).
# Every output check still runs.
if grep -q '^SANITIZE_CFLAGS = .*-fsanitize' "$builddir/Makefile" 2>/dev/null; then
	echo "# sanitizer build: time, memory and linearity not judged"
	PB_HOSTILE_BOUNDS=0 PB_HOSTILE_LINEAR=0
	export PB_HOSTILE_BOUNDS PB_HOSTILE_LINEAR
fi
"$python" "$srcdir/tests/hostile/check.py" "$explain" "$tmp"
