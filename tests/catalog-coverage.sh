#!/bin/sh
# catalog-coverage.sh - every code the catalog must explain has its own
# entry, in every language file under etc/catalog (DESIGN.md section 4):
#   * the seed reply codes 211 ... 554: reply:NNN;
#   * every code of the IANA "SMTP Enhanced Status Codes" registry,
#     X.0.0 ... X.7.30, in its 4.x.x and 5.x.x forms: status:C.S.D or
#     the class-free status:X.S.D;
#   * every vendor rule of lib/classify_table.c: rule:NAME (English).
# Each code is looked up with plainbounce-explain --code, i.e. through the
# real lookup chain; a code explained only by a reason or the generic text
# counts as missing.  Lists every missing key, then fails if there is one.
# Also run alone with: make catalog-coverage
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
explain=$builddir/cli/plainbounce-explain
catdir=$srcdir/etc/catalog

seed="211 214 220 221 250 251 252 354 421 450 451 452 500 501 502 503 504
550 551 552 553 554"
# The registry's detail codes per subject (X.0.0 ... X.7.30).
iana() {
	for d in 0; do echo "0.$d"; done
	for d in 0 1 2 3 4 5 6 7 8 9 10; do echo "1.$d"; done
	for d in 0 1 2 3 4; do echo "2.$d"; done
	for d in 0 1 2 3 4 5 6; do echo "3.$d"; done
	for d in 0 1 2 3 4 5 6 7; do echo "4.$d"; done
	for d in 0 1 2 3 4 5 6; do echo "5.$d"; done
	for d in 0 1 2 3 4 5 6 7 8 9 10; do echo "6.$d"; done
	d=0
	while [ $d -le 30 ]; do echo "7.$d"; d=$((d + 1)); done
}

missing=0 checked=0
# check LANG CODE WANT... - the key for CODE must be one of WANT
check() {
	lang=$1 code=$2
	shift 2
	checked=$((checked + 1))
	key=$("$explain" --catalog-dir "$catdir" --lang "$lang" --code "$code" \
	    2>/dev/null | sed -n '1s/.*(catalog key \([^,]*\),.*/\1/p')
	for want in "$@"; do
		[ "$key" = "$want" ] && return 0
	done
	echo "MISSING $lang: $code (explained by ${key:-nothing}; want $*)"
	missing=$((missing + 1))
}

langs=
for f in "$catdir"/*; do
	[ -f "$f" ] || continue
	langs="$langs ${f##*/}"
done
for lang in $langs; do
	for code in $seed; do
		check "$lang" "$code" "reply:$code"
	done
	for sd in $(iana); do
		for c in 4 5; do
			check "$lang" "$c.$sd" "status:$c.$sd" "status:X.$sd"
		done
	done
done
# Vendor rules: English must have rule:NAME for every rule of the
# classifier (other languages are held to English's keys by
# check_catalog).
rules=$(sed -n 's/^[[:space:]]*{"\([a-z0-9._-]*\)", ".*/\1/p' \
    "$srcdir/lib/classify_table.c" | sort -u)
for r in $rules; do
	checked=$((checked + 1))
	if ! grep -q "^\[rule:$r\]" "$catdir/en"; then
		echo "MISSING en: [rule:$r]"
		missing=$((missing + 1))
	fi
done
echo "catalog-coverage: languages:$langs; $checked keys checked, $missing missing"
[ "$missing" -eq 0 ]
