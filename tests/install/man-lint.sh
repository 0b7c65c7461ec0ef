#!/bin/sh
# man-lint.sh - the manual pages are clean for "mandoc -Tlint" (style
# messages aside) and render; skips (77) without mandoc.
set -u
builddir=${builddir:-.}
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: no mandoc"; exit 77; }
rc=0 n=0
for p in man/plainbounce.8 man/plainbounce.conf.5 man/plainbounce-explain.1; do
	f=$builddir/$p
	if [ ! -f "$f" ]; then
		[ "$p" = man/plainbounce.8 ] && [ ! -x "$builddir/milter/plainbounce" ] &&
			continue
		echo "missing $f"; exit 99
	fi
	n=$((n + 1))
	out=$(mandoc -Tlint -Wwarning "$f" 2>&1) || rc=1
	[ -z "$out" ] || { echo "$out"; rc=1; }
	mandoc -Tmarkdown "$f" | grep -q "^# NAME" || { echo "$f does not render"; rc=1; }
	grep -n '@[a-zA-Z_]*@' "$f" && { echo "$f: unsubstituted placeholder"; rc=1; }
done
echo "$n pages linted"
exit $rc
