#!/bin/sh
# fk-grade.sh - every English catalog entry has a Flesch-Kincaid grade of
# 8 or lower (tests/tools/fk-grade.py; known exceptions are listed in
# tests/tools/fk-allow.txt).  Also checks that the script fails on a text
# that is clearly too hard, so that it cannot pass by accident.
set -u
srcdir=${srcdir:-.}
[ -n "${PYTHON3:-}" ] || { echo "SKIP: no python3"; exit 77; }
fk=$srcdir/tests/tools/fk-grade.py
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/hard" <<'END'
[labels]
[generic]
what = Notwithstanding considerable organisational deliberation, international telecommunication infrastructures occasionally necessitate administrative intervention.
cause = Unanticipated authentication incompatibilities.
todo = Investigate.
owner = Administrators.
END
if "$PYTHON3" "$fk" "$tmp/hard" >"$tmp/out" 2>&1; then
	echo "FAIL: fk-grade.py passed a text of a high grade"; cat "$tmp/out"; exit 1
fi
"$PYTHON3" "$fk" --worst 15 --allow "$srcdir/tests/tools/fk-allow.txt" \
    "$srcdir/etc/catalog/en"
