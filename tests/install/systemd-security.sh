#!/bin/sh
# systemd-security.sh - the systemd unit's exposure as rated by
# "systemd-analyze security --offline=true" stays at 2.0 or below (0 is
# fully locked down, 10 not at all); prints the figure.  Skips (77)
# without a systemd-analyze that knows --offline (systemd 250 and later).
set -u
builddir=${builddir:-.}
unit=$builddir/etc/plainbounce.service
max=2.0
[ -f "$unit" ] || { echo "missing $unit"; exit 99; }
command -v systemd-analyze >/dev/null 2>&1 ||
	{ echo "SKIP: no systemd-analyze"; exit 77; }
systemd-analyze --help 2>/dev/null | grep -q -- '--offline' ||
	{ echo "SKIP: systemd-analyze has no --offline"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# the file name must end in .service
cp "$unit" "$tmp/plainbounce.service"
systemd-analyze security --offline=true --no-pager \
	"$tmp/plainbounce.service" >"$tmp/out" 2>&1
grep '✗' "$tmp/out"
level=$(sed -n 's/.*Overall exposure level for plainbounce.service: \([0-9.]*\).*/\1/p' "$tmp/out")
[ -n "$level" ] || { cat "$tmp/out"; echo "no exposure level found"; exit 99; }
echo "exposure level $level (at most $max)"
awk -v l="$level" -v m="$max" 'BEGIN { exit !(l + 0 <= m + 0) }'
