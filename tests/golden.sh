#!/bin/sh
# golden.sh - run plainbounce-explain on every message of the project's
# corpus (tests/corpus/*/*.eml) and compare with the golden files beside
# it: NAME.json (--json) and NAME.out (the rewritten message).
# With --update, write the golden files instead (review the diff!).
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
explain=$(cd "$builddir" && pwd)/cli/plainbounce-explain
update=${1:-}
fail=0 n=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir/tests/corpus" || exit 99
for eml in */*.eml; do
	base=${eml%.eml}
	n=$((n + 1))
	"$explain" --json "$eml" >"$tmp/json" 2>"$tmp/err" || {
		echo "FAIL $eml: exit status $? ($(cat "$tmp/err"))"; fail=1; continue; }
	"$explain" "$eml" >"$tmp/out" 2>>"$tmp/err" || {
		echo "FAIL $eml: exit status $? ($(cat "$tmp/err"))"; fail=1; continue; }
	if [ "$update" = --update ]; then
		cp "$tmp/json" "$base.json"
		cp "$tmp/out" "$base.out"
		continue
	fi
	for k in json out; do
		if ! cmp -s "$tmp/$k" "$base.$k"; then
			echo "FAIL $eml: differs from $base.$k"
			diff -u "$base.$k" "$tmp/$k" | head -40
			fail=1
		fi
	done
done
echo "golden: $n messages checked"
exit $fail
