#!/bin/sh
# .ci/deb.sh - the Debian package, as an operator gets it: build
# plainbounce_*.deb from a clean copy of the tree with
# "dpkg-buildpackage -us -uc -b", install it with dpkg -i, use the
# installed programs (plainbounce -n, plainbounce-explain, the daemon as
# the packaged unit starts it: the system user, /run/plainbounce, the
# socket's group), reinstall over a changed conffile, purge, and check
# that nothing of it is left: no file, no user, no group.
#
# Runs as root on Debian 12 (CI); everything it makes outside its
# scratch directory is the package's and goes with the purge.  The
# package's own make check is skipped (nocheck): .ci/run has run the
# tests already.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
[ "$(id -u)" = 0 ] || { echo "deb.sh: needs root"; exit 1; }
if dpkg-query -W -f='${Status}' plainbounce 2>/dev/null | grep -q installed; then
	echo "deb.sh: plainbounce is installed already; purge it first"; exit 1
fi
tmp=$(mktemp -d /tmp/pbdeb.XXXXXX)
pb_pid=
cleanup() {
	[ -n "$pb_pid" ] && kill "$pb_pid" 2>/dev/null
	dpkg-query -W plainbounce >/dev/null 2>&1 && dpkg --purge plainbounce >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { echo "not ok - $1"; [ -f "$tmp/out" ] && sed 's/^/#   /' "$tmp/out" | head -40; exit 1; }
# leftovers: every path named *plainbounce* outside the scratch
# directories, plus the user and the group
leftovers() {
	find / -xdev \( -path /proc -o -path /sys -o -path /tmp -o -path /work \
	    -o -path "$top" -o -path /var/tmp \) -prune -o \
	    -name '*plainbounce*' -print 2>/dev/null | sort
	getent passwd plainbounce | sed 's/^/user /' || :
	getent group plainbounce | sed 's/^/group /' || :
}
leftovers >"$tmp/before"

# --- build from a clean copy (only the files git knows) -------------------
src=$tmp/plainbounce
mkdir "$src"
git ls-files -z --cached --others --exclude-standard |
	xargs -0 tar -cf - | tar -xf - -C "$src"
start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS=nocheck DEB_BUILD_PROFILES=nocheck \
	dpkg-buildpackage -us -uc -b) >"$tmp/out" 2>&1 ||
	fail "dpkg-buildpackage -us -uc -b"
deb=$(ls "$tmp"/plainbounce_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no plainbounce_*.deb"
ok "dpkg-buildpackage built $(basename "$deb") in $(($(date +%s) - start)) s"
if command -v lintian >/dev/null 2>&1; then
	lintian --no-tag-display-limit "$deb" | sed 's/^/# lintian: /' || :
fi

# --- install ---------------------------------------------------------------------
dpkg -i "$deb" >"$tmp/out" 2>&1 || fail "dpkg -i"
ok "dpkg -i"
dpkg -L plainbounce >"$tmp/files"
id plainbounce >"$tmp/out" 2>&1 && getent group plainbounce >/dev/null ||
	fail "system user and group plainbounce"
home=$(getent passwd plainbounce | cut -d: -f6)
[ "$home" = /nonexistent ] && [ ! -e /nonexistent ] || fail "home $home"
ok "system user plainbounce, home /nonexistent"
dpkg-query -W -f='${Conffiles}\n' plainbounce >"$tmp/out"
grep -q '^ /etc/plainbounce/plainbounce.conf ' "$tmp/out" ||
	fail "/etc/plainbounce/plainbounce.conf is a conffile"
ok "/etc/plainbounce/plainbounce.conf is a conffile"
for f in /usr/sbin/plainbounce /usr/bin/plainbounce-explain \
    /lib/systemd/system/plainbounce.service \
    /usr/share/plainbounce/catalog/en /usr/share/plainbounce/catalog/de \
    /usr/share/plainbounce/catalog/fr /usr/share/plainbounce/catalog/es \
    /usr/share/man/man8/plainbounce.8.gz /usr/share/man/man5/plainbounce.conf.5.gz \
    /usr/share/man/man1/plainbounce-explain.1.gz \
    /usr/share/doc/plainbounce/postfix-main.cf.snippet \
    /usr/share/doc/plainbounce/sendmail.mc.snippet; do
	grep -qx "$f" "$tmp/files" && [ -f "$f" ] || { echo "missing $f" >"$tmp/out"; fail "installed files"; }
done
ok "programs, unit, catalogs, man pages and snippets installed"
[ -L /etc/systemd/system/multi-user.target.wants/plainbounce.service ] ||
	fail "the unit is enabled"
ok "the unit is enabled (multi-user.target.wants)"

# --- the installed programs ----------------------------------------------------
/usr/sbin/plainbounce -n >"$tmp/out" 2>&1 || fail "plainbounce -n"
grep -q 'configuration OK (/etc/plainbounce/plainbounce.conf)' "$tmp/out" ||
	fail "plainbounce -n reads /etc/plainbounce/plainbounce.conf"
ok "plainbounce -n: configuration OK (/etc/plainbounce/plainbounce.conf)"
/usr/bin/plainbounce-explain etc/samples/bounce-userunknown.eml >"$tmp/out" 2>&1 ||
	fail "plainbounce-explain"
grep -q '^X-Plainbounce: kind=failure; reason=userunknown; status=5.1.1' "$tmp/out" &&
	grep -q 'bob.smith@example.org does not' "$tmp/out" ||
	fail "plainbounce-explain explains the sample bounce"
ok "plainbounce-explain: userunknown, 5.1.1, explained for bob.smith@example.org"
/usr/bin/plainbounce-explain --lang de etc/samples/bounce-userunknown.eml >"$tmp/out" 2>&1 &&
	grep -q 'konnte nicht zugestellt werden' "$tmp/out" ||
	fail "plainbounce-explain --lang de (installed catalog)"
ok "plainbounce-explain --lang de reads /usr/share/plainbounce/catalog/de"
man -w plainbounce.conf >"$tmp/out" 2>&1 || fail "man -w plainbounce.conf"
ok "man finds plainbounce.conf(5)"

# --- the daemon as the unit runs it (no systemd here: the runtime
# directory made by hand as systemd would, the user plainbounce) --------
install -d -o plainbounce -g plainbounce -m 0750 /run/plainbounce
setpriv --reuid=plainbounce --regid=plainbounce --init-groups \
	/usr/sbin/plainbounce -f >"$tmp/daemon.log" 2>&1 &
pb_pid=$!
i=0
while [ ! -S /run/plainbounce/plainbounce.sock ] && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1)); done
cp "$tmp/daemon.log" "$tmp/out"
[ -S /run/plainbounce/plainbounce.sock ] || fail "the daemon listens"
perm=$(stat -c '%U:%G %a' /run/plainbounce/plainbounce.sock)
echo "$perm" >"$tmp/out"
[ "$perm" = "plainbounce:plainbounce 660" ] || fail "socket owner and mode"
ok "running as plainbounce: socket plainbounce:plainbounce 0660"
kill -HUP "$pb_pid"; sleep 0.3
kill -TERM "$pb_pid"; wait "$pb_pid" || :; pb_pid=
cp "$tmp/daemon.log" "$tmp/out"
grep -q 'started on unix:/run/plainbounce/plainbounce.sock' "$tmp/out" &&
	grep -q 'reloaded configuration /etc/plainbounce/plainbounce.conf' "$tmp/out" &&
	grep -q 'stopped' "$tmp/out" || fail "start, reload, stop logged"
[ ! -e /run/plainbounce/plainbounce.sock ] || fail "socket removed at stop"
ok "reload on SIGHUP, clean stop on SIGTERM, socket removed"
rmdir /run/plainbounce

# --- reinstall over a changed conffile --------------------------------------------
echo "Organization Example Hosting" >>/etc/plainbounce/plainbounce.conf
dpkg -i "$deb" >"$tmp/out" 2>&1 || fail "dpkg -i again"
grep -q '^Organization Example Hosting$' /etc/plainbounce/plainbounce.conf ||
	fail "the changed conffile was kept"
/usr/sbin/plainbounce -n >"$tmp/out" 2>&1 &&
	grep -q '^Organization *Example Hosting$' "$tmp/out" || fail "plainbounce -n after reinstall"
ok "reinstall keeps the operator's plainbounce.conf"

# --- remove and purge --------------------------------------------------------------
dpkg --remove plainbounce >"$tmp/out" 2>&1 || fail "dpkg --remove"
[ ! -e /usr/sbin/plainbounce ] && [ -f /etc/plainbounce/plainbounce.conf ] ||
	fail "remove: programs gone, conffile kept"
ok "dpkg --remove: programs gone, configuration kept"
dpkg --purge plainbounce >"$tmp/out" 2>&1 || fail "dpkg --purge"
while read -r f; do
	case $f in /usr/*/plainbounce* | /etc/plainbounce* | /lib/systemd/*plainbounce*)
		[ ! -e "$f" ] || { echo "left: $f" >"$tmp/out"; fail "files left after purge"; } ;;
	esac
done <"$tmp/files"
leftovers >"$tmp/after"
diff "$tmp/before" "$tmp/after" >"$tmp/out" || fail "nothing left after purge"
ok "dpkg --purge: no file, user or group plainbounce left"
echo "$n passed, 0 failed"
