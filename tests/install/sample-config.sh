#!/bin/sh
# sample-config.sh - the shipped sample configuration and the manual
# cannot drift from the daemon's key table:
#  1. etc/plainbounce.conf passes "plainbounce -n -c" as shipped;
#  2. its commented-out settings, switched on, are exactly the built-in
#     defaults (every key once, each with its real default);
#  3. every key of the table has an entry in plainbounce.conf(5) with
#     its default and an example line;
#  4. plainbounce-explain --config reads the sample too.
# The key list comes from the daemon itself ("plainbounce -n" prints
# every key); skips (77) when the daemon is not built.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
pb=$builddir/milter/plainbounce
explain=$builddir/cli/plainbounce-explain
conf=$srcdir/etc/plainbounce.conf
man=$builddir/man/plainbounce.conf.5
[ -x "$pb" ] || { echo "SKIP: no $pb (built without libmilter)"; exit 77; }
[ -f "$man" ] || { echo "missing $man"; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# keys: the "Key value" lines of plainbounce -n (between the OK line
# and the first empty line)
keys() { sed -n '2,/^$/p' "$1" | sed '/^$/d'; }

"$pb" -n -c "$conf" >"$tmp/sample.out" 2>&1 ||
	fail "plainbounce -n -c etc/plainbounce.conf: $(cat "$tmp/sample.out")"
grep -q "configuration OK ($conf)" "$tmp/sample.out" ||
	fail "no 'configuration OK' for the sample"
"$pb" -n -c /dev/null >"$tmp/defaults.out" 2>&1 ||
	fail "plainbounce -n -c /dev/null: $(cat "$tmp/defaults.out")"
keys "$tmp/defaults.out" >"$tmp/defaults"
nkeys=$(wc -l <"$tmp/defaults")
[ "$nkeys" -ge 20 ] || fail "only $nkeys keys printed by plainbounce -n"

# 1: the sample as shipped changes nothing
keys "$tmp/sample.out" >"$tmp/sample"
cmp -s "$tmp/defaults" "$tmp/sample" ||
	{ fail "the sample as shipped differs from the defaults"; diff "$tmp/defaults" "$tmp/sample"; }

# 2: every commented-out setting switched on gives the defaults again
sed -n 's/^#\([A-Za-z]\)/\1/p' "$conf" >"$tmp/on.conf"
[ "$(wc -l <"$tmp/on.conf")" -eq "$nkeys" ] ||
	fail "the sample has $(wc -l <"$tmp/on.conf") settings, the daemon $nkeys keys"
"$pb" -n -c "$tmp/on.conf" >"$tmp/on.out" 2>&1 ||
	fail "sample with every setting on: $(cat "$tmp/on.out")"
keys "$tmp/on.out" >"$tmp/on"
cmp -s "$tmp/defaults" "$tmp/on" ||
	{ fail "a default in the sample is not the built-in one"; diff "$tmp/defaults" "$tmp/on"; }

# 3: the manual has every key, its default (as the sample writes it) and
# an example
while read -r key _; do
	line=$(grep -i "^#$key\( \|\$\)" "$conf" | head -1)
	[ -n "$line" ] || { fail "$key missing in etc/plainbounce.conf"; continue; }
	def=${line#"#$key"}
	def=${def# }
	awk -v k="$key" '
		$0 ~ "^\\.It Cm " k "( |$)" { on = 1; print; next }
		on && /^\.(It|El)( |$)/ { exit }
		on { print }' "$man" >"$tmp/entry"
	if [ ! -s "$tmp/entry" ]; then
		fail "$key has no entry in plainbounce.conf(5)"; continue
	fi
	if [ -n "$def" ]; then
		grep -qF ".Ql $def ." "$tmp/entry" ||
			fail "plainbounce.conf(5): $key does not give its default $def"
	else
		grep -q '^Default: empty\.$' "$tmp/entry" ||
			fail "plainbounce.conf(5): $key does not say its default is empty"
	fi
	grep -q "^\.Dl $key " "$tmp/entry" ||
		fail "plainbounce.conf(5): $key has no example"
done <"$tmp/defaults"

# 4: the CLI reads the same file
"$explain" --config "$conf" "$srcdir/etc/samples/bounce-userunknown.eml" \
	>"$tmp/explain.out" 2>&1 ||
	fail "plainbounce-explain --config etc/plainbounce.conf: $(head -3 "$tmp/explain.out")"
grep -q '^X-Plainbounce: ' "$tmp/explain.out" ||
	fail "plainbounce-explain --config did not explain the sample bounce"

echo "$nkeys keys checked, $fails failure(s)"
[ "$fails" -eq 0 ]
