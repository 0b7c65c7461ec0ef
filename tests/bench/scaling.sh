#!/bin/sh
# scaling.sh - cost per bounce against its size (doc/performance.md).
#
# usage: scaling.sh [--check] [SIZE...]     SIZE in bytes, k or M suffix
#
# Two series of bounces are made from tests/corpus/postfix/
# userunknown.eml, each of about SIZE bytes:
#   full     the returned original (message/rfc822) grows: a mail with
#            a base64 attachment of the needed size;
#   headers  only the header of the original comes back
#            (text/rfc822-headers) and the notice grows: a transcript of
#            the needed size, which the library does read.
# For each, callgrind counts the instructions of one pb_process() plus
# rendering (tests/bench/bench-lib, set-up excluded): "total", and
# "report" = only the stages that read the report and notice and write
# the explanation (detect, DSN fields, notice text, classify, explain).
# Printed as a table: size, instructions, instructions per byte.
# SCALING_SERIES="full" (or "headers") runs one series only.
#
# --check (make check): sizes 32k 256k 2M; fails when the cost per
# byte of the largest size is more than 1.5 times that of the 256k one
# in either series (super-linear growth), or when "report" for the full
# original at 2M is more than 1.5 times that at 32k (the returned
# original must not be read by the analysis).  Skips (77) without
# valgrind or in a sanitizer build.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
python=${PYTHON3:-python3}
bench=$builddir/tests/bench/bench-lib
check=no
if [ "${1:-}" = --check ]; then
	check=yes
	shift
fi
if [ $# -eq 0 ]; then
	if [ $check = yes ]; then
		set -- 32k 256k 2M
	else
		set -- 4k 64k 512k 4M 16M 50M
	fi
fi
command -v valgrind >/dev/null 2>&1 || { echo "no valgrind"; exit 77; }
command -v "$python" >/dev/null 2>&1 || { echo "no python3"; exit 77; }
if ldd "$bench" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	echo "sanitizer build: callgrind cannot run it"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

bytes() { # 4k -> 4096
	case $1 in
	*k) echo $((${1%k} * 1024)) ;;
	*M) echo $((${1%M} * 1048576)) ;;
	*) echo "$1" ;;
	esac
}

# make KIND SIZE FILE - write a bounce of about SIZE bytes
make_bounce() {
	"$python" - "$srcdir/tests/corpus/postfix/userunknown.eml" "$@" <<'PY'
import base64, sys
tmpl, kind, size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
head = open(tmpl, "rb").read()
cut = head.index(b"Content-Type: message/rfc822")
end = head.index(b"\n\n", cut) + 2
tail = head[head.rindex(b"\n--"):]
orig_hdr = (b"From: alice@example.com\nTo: bob.smith@example.org\n"
            b"Subject: big\nMessage-ID: <big@example.com>\nMIME-Version: 1.0\n")
if kind == "full":
    fixed = len(head[:end]) + len(tail) + 400
    raw = max(size - fixed, 0) * 3 // 4
    # deterministic content: the same bytes for every run
    blob = (bytes(range(256)) * (raw // 256 + 1))[:raw]
    att = base64.encodebytes(blob)
    orig = (orig_hdr + b"Content-Type: multipart/mixed; boundary=\"inner\"\n\n"
            b"--inner\nContent-Type: text/plain\n\nsee attached\n"
            b"--inner\nContent-Type: application/octet-stream\n"
            b"Content-Transfer-Encoding: base64\n\n" + att + b"--inner--\n")
    msg = head[:end] + orig + tail
else:
    # the notice grows: transcript lines before the report
    first = head.index(b"\n\n", head.index(b"Content-Type: text/plain")) + 2
    line = b"<<< 250 2.1.0 Ok, the remote server said a few words here\n"
    pad = line * (max(size - len(head), 0) // len(line))
    hdr = head[:cut].replace(b"Content-Type: message/rfc822",
                             b"Content-Type: text/rfc822-headers")
    rfc = (b"Content-Type: text/rfc822-headers\n"
           b"Content-Description: Undelivered Message Headers\n\n")
    msg = head[:first] + pad + head[first:cut] + rfc + orig_hdr + tail
open(out, "wb").write(msg)
PY
}

# count FILE [TOGGLES...] - instructions of the measured functions
count() {
	f=$1
	shift
	valgrind --tool=callgrind --collect-atstart=no "$@" \
	    --callgrind-out-file="$tmp/cg.out" "$bench" -q -n 1 "$f" \
	    2>"$tmp/vg.log" || { cat "$tmp/vg.log" >&2; return 1; }
	awk '/^summary:/ { print $2; f = 1; exit } /^totals:/ { t = $2 }
	    END { if (!f) print t + 0 }' "$tmp/cg.out"
	rm -f "$tmp"/cg.out*
}
report_toggles="--toggle-collect=pb_dsn_detect --toggle-collect=pb_dsn_parse
--toggle-collect=pb_dsn_text_enrich --toggle-collect=pb_dsn_text_fallback
--toggle-collect=pb_classify --toggle-collect=pb_explain"

printf "%-8s %-10s %12s %14s %10s %12s\n" series size bytes total \
    "total/B" report
: >"$tmp/rows"
for kind in ${SCALING_SERIES:-full headers}; do
	for s in "$@"; do
		n=$(bytes "$s")
		make_bounce "$kind" "$n" "$tmp/b.eml" || exit 1
		real=$(wc -c <"$tmp/b.eml")
		out=$("$bench" -n 1 "$tmp/b.eml") || { echo "$out"; exit 1; }
		case $out in
		*"bounces 1 changed 1"*) ;;
		*) echo "not explained as a bounce: $out"; exit 1 ;;
		esac
		tot=$(count "$tmp/b.eml" --toggle-collect=run_corpus) || exit 1
		rep=$(count "$tmp/b.eml" $report_toggles) || exit 1
		echo "$kind $s $real $tot $rep" >>"$tmp/rows"
		awk -v k="$kind" -v s="$s" -v b="$real" -v t="$tot" -v r="$rep" \
		    'BEGIN { printf "%-8s %-10s %12.0f %14.0f %10.2f %12.0f\n",
		             k, s, b, t, t / b, r }'
	done
done
[ $check = yes ] || exit 0
awk -v small="$1" -v mid="$2" -v big="$(eval echo \${$#})" '
{ b[$1, $2] = $3; t[$1, $2] = $4; r[$1, $2] = $5 }
END {
	bad = 0
	for (k = 1; k <= 2; k++) {
		s = (k == 1) ? "full" : "headers"
		pm = t[s, mid] / b[s, mid]; pb = t[s, big] / b[s, big]
		printf "%s: %.2f instructions/byte at %s, %.2f at %s\n", s, pm, mid, pb, big
		if (pb > 1.5 * pm) { print "FAIL: super-linear growth (" s ")"; bad = 1 }
	}
	printf "report stages, full original: %.0f at %s, %.0f at %s\n", r["full", small], small, r["full", big], big
	if (r["full", big] > 1.5 * r["full", small]) {
		print "FAIL: the analysis reads the returned original"; bad = 1
	}
	exit bad
}' "$tmp/rows"
