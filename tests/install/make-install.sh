#!/bin/sh
# make-install.sh - "make install" into a scratch DESTDIR puts every
# piece where the operator's guide says, keeps an operator's changed
# plainbounce.conf on a second install and on uninstall, and
# "make uninstall" then leaves only that file behind.
set -u
builddir=${builddir:-.}
builddir=$(cd "$builddir" && pwd)
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
d=$tmp/root
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
mk() { # make TARGET: quiet, in the build tree, into $d
	make -s -C "$builddir" "$1" DESTDIR="$d" >"$tmp/make.log" 2>&1 ||
		{ cat "$tmp/make.log"; echo "make $1 failed"; exit 99; }
}
# var NAME: a directory variable of the build's Makefile
var() { sed -n "s|^$1 = ||p" "$builddir/Makefile" | head -1; }
prefix=$(var prefix)
exp() { # expand ${prefix}-style references (one level is enough here)
	echo "$1" | sed -e "s|\${prefix}|$prefix|g" -e "s|\${exec_prefix}|$prefix|g" \
	    -e "s|\${datarootdir}|$prefix/share|g" \
	    -e "s|\${PACKAGE_TARNAME}|plainbounce|g"
}
sbindir=$(exp "$(var sbindir)") bindir=$(exp "$(var bindir)")
sysconfdir=$(exp "$(var sysconfdir)") datadir=$(exp "$(var datadir)")
mandir=$(exp "$(var mandir)") docdir=$(exp "$(var docdir)")
unitdir=$(var systemdsystemunitdir)

mk install
conf=$d$sysconfdir/plainbounce/plainbounce.conf
expect="$d$bindir/plainbounce-explain $conf
$d$datadir/plainbounce/catalog/en $d$datadir/plainbounce/catalog/de
$d$mandir/man5/plainbounce.conf.5 $d$mandir/man1/plainbounce-explain.1
$d$docdir/postfix-main.cf.snippet $d$docdir/sendmail.mc.snippet
$d$docdir/operator.md"
if [ -x "$builddir/milter/plainbounce" ]; then
	expect="$expect $d$sbindir/plainbounce $d$mandir/man8/plainbounce.8"
	case $unitdir in
	/*) expect="$expect $d$unitdir/plainbounce.service" ;;
	esac
fi
for f in $expect; do
	[ -f "$f" ] || fail "not installed: ${f#"$d"}"
done
grep -q "^ExecStart=$sbindir/plainbounce -f\$" "$d$unitdir/plainbounce.service" 2>/dev/null ||
	[ ! -f "$d$unitdir/plainbounce.service" ] ||
	fail "the unit does not start $sbindir/plainbounce"
grep -q "$sysconfdir/plainbounce/plainbounce.conf" "$d$mandir/man5/plainbounce.conf.5" ||
	fail "plainbounce.conf(5) does not name $sysconfdir/plainbounce/plainbounce.conf"

# an operator's change survives a second install and the uninstall
echo "Organization Example Hosting" >>"$conf"
mk install
grep -q "^Organization Example Hosting" "$conf" ||
	fail "a second make install overwrote the changed plainbounce.conf"
mk uninstall
[ -f "$conf" ] || fail "make uninstall removed the changed plainbounce.conf"
left=$(find "$d" -type f ! -path "$conf")
[ -z "$left" ] || fail "left after make uninstall: $left"
# unchanged, it goes with the rest
rm -f "$conf"
mk install
mk uninstall
left=$(find "$d" -type f)
[ -z "$left" ] || fail "left after make uninstall: $left"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
