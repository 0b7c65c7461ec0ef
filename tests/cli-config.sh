#!/bin/sh
# cli-config.sh - plainbounce-explain --config reads the daemon's
# configuration file: the language per recipient domain, the branding
# and the help pages apply; options given on the command line win; a bad
# file is refused naming file and line.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
explain=$builddir/cli/plainbounce-explain
bounce=$srcdir/tests/corpus/postfix/userunknown.eml
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
check() { # check NAME COMMAND...: the command must succeed
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n - $name"; else
		echo "not ok $n - $name"; fail=1; fi
}
cat >"$tmp/good.conf" <<EOC
# the bounce goes to alice@example.com; names match without case, a
# URL keeps its own
LanguageMap Example.COM=DE
CatalogDir $srcdir/etc/catalog
Organization Example Hosting
Support https://help.example.net/
HelpURL UserUnknown=https://help.example.net/No-Such-Address
EOC
"$explain" --config "$tmp/good.conf" "$bounce" >"$tmp/out" 2>"$tmp/err"
name="German for the mapped recipient domain"
check grep -q "Ihre Nachricht konnte nicht zugestellt werden" "$tmp/out"
name="the support address appears"
check grep -q "https://help.example.net/" "$tmp/out"
name="the help page of the reason appears, its URL as written"
check grep -q "https://help.example.net/No-Such-Address" "$tmp/out"
"$explain" --config "$tmp/good.conf" --lang en --json "$bounce" \
    >"$tmp/json" 2>&1
name="--json works with --config"
check grep -q '"bounce": true' "$tmp/json"
printf 'Mode sideways\n' >"$tmp/bad.conf"
"$explain" --config "$tmp/bad.conf" "$bounce" >/dev/null 2>"$tmp/err"
rc=$?
name="a bad value is refused (exit 2) naming file and line"
check test "$rc" = 2 -a -n "$(grep "bad.conf:1:" "$tmp/err")"
name="a missing file is refused"
check sh -c "! '$explain' --config '$tmp/none.conf' '$bounce'"
echo "1..$n"
exit $fail
