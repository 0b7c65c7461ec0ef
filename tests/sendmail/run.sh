#!/bin/sh
# run.sh - end to end with a real Sendmail: bounces arriving over SMTP
# pass through plainbounce (INPUT_MAIL_FILTER with no F= flag, so the
# filter fails open) and reach the next hop explained.
#
# Sendmail conflicts with Postfix as a Debian package, so this test
# fetches sendmail-bin, sendmail-cf and libwrap0 with "apt-get download"
# and unpacks them with "dpkg -x" under the build tree
# (tests/sendmail/root; kept between runs).  Sendmail looks up its own
# host name at start, so everything runs inside a network namespace
# that has only loopback (unshare -n), and in a mount namespace whose
# /etc/hosts names the host (unshare -m).  The next hop is fakesmtp.py on
# loopback; it keeps what it receives.
#
# Shows:
#  1. a Postfix-style DSN sent over SMTP is explained, its
#     delivery-status part byte-identical to the one sent;
#  2. a Sendmail-style DSN (first part without Content-Type,
#     unqualified From: MAILER-DAEMON) is explained;
#  3. ordinary mail passes unchanged;
#  4. Sendmail's own bounces never pass through milters (documented in
#     the README): the one it writes for a rejected recipient arrives
#     without X-Plainbounce.
#
# Needs root, unshare, ip, m4, python3 and the packages (downloaded on
# first use); exits 77 (skip) when any is missing.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
export srcdir builddir

skip() { echo "SKIP: $*"; exit 77; }
# PB_SKIP_E2E: .ci/run sets it for make distcheck (see tests/postfix)
[ -z "${PB_SKIP_E2E:-}" ] || skip "PB_SKIP_E2E is set"
if [ -z "${PB_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || skip "needs root"
	for c in unshare ip mount m4 python3 dpkg; do
		command -v $c >/dev/null 2>&1 || skip "no $c"
	done
	root=$builddir/tests/sendmail/root
	if [ ! -x "$root/usr/libexec/sendmail/sendmail" ]; then
		command -v apt-get >/dev/null 2>&1 || skip "no apt-get"
		mkdir -p "$builddir/tests/sendmail/debs" || exit 99
		(cd "$builddir/tests/sendmail/debs" &&
			apt-get download sendmail-bin sendmail-cf libwrap0) \
			>"$builddir/tests/sendmail/download.log" 2>&1 ||
			skip "apt-get download sendmail-bin sendmail-cf libwrap0 failed"
		for d in "$builddir"/tests/sendmail/debs/*.deb; do
			dpkg -x "$d" "$root" || exit 99
		done
		# set-group-id would make the loader ignore LD_LIBRARY_PATH
		chmod g-s "$root/usr/libexec/sendmail/sendmail"
	fi
	# Sendmail insists on qualifying its own host name through the
	# resolver: in a private mount namespace, /etc/hosts names it
	{ cat /etc/hosts; printf '127.0.0.1 %s mx.sm.test\n' "$(uname -n)"; } \
		>"$builddir/tests/sendmail/hosts" || exit 99
	PB_IN_NETNS=1 exec unshare -n -m sh -c \
		'ip link set lo up && mount --bind "$1" /etc/hosts && exec sh "$0"' \
		"$srcdir/tests/sendmail/run.sh" "$builddir/tests/sendmail/hosts"
	skip "unshare -n -m failed"
fi

# --- inside the namespace: only loopback ----------------------------------
root=$builddir/tests/sendmail/root
pb=$builddir/milter/plainbounce
mail="python3 $srcdir/tests/postfix/mail.py"
[ -x "$pb" ] || { echo "missing $pb"; exit 99; }
# Sendmail refuses a milter socket below a world-writable directory
# such as /tmp: work in /run (root's), else in the build tree
tmp=$(mktemp -d /run/pbsm.XXXXXX 2>/dev/null) ||
	tmp=$(mktemp -d "$builddir/tests/sendmail/t.XXXXXX") || exit 99
chmod 755 "$tmp"
fake_pid= pb_pid= sm_pid=
cleanup() {
	[ -n "$sm_pid" ] && kill "$sm_pid" 2>/dev/null
	[ -f "$tmp/sendmail.pid" ] && kill "$(head -1 "$tmp/sendmail.pid")" 2>/dev/null
	[ -n "$pb_pid" ] && kill -TERM "$pb_pid" 2>/dev/null
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	if [ -n "${PB_KEEP:-}" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM
# ok, not_ok, check and tap_end; the directory and clean-up are ours
. "$srcdir/tests/tap.sh"
n=0 failed=0
die() { echo "$*"; exit 99; }

rport=$($mail freeport) && sport=$($mail freeport) || exit 99
[ "$rport" != "$sport" ] || sport=$($mail freeport)
python3 "$srcdir/tests/postfix/fakesmtp.py" "$rport" "$tmp/remote" \
	"nosuchuser=550 5.1.1 <nosuchuser@remote.test>... User unknown" \
	>"$tmp/fake.log" 2>&1 &
fake_pid=$!

cat >"$tmp/pb.conf" <<CONF
Socket unix:$tmp/pb/pb.sock
SocketMode 0660
LogLevel info
StatsInterval 0
CONF
"$pb" -f -c "$tmp/pb.conf" >"$tmp/pb.log" 2>&1 &
pb_pid=$!

# sendmail.cf from Sendmail's own m4 files, all paths private
mkdir -p "$tmp/queue" "$tmp/mqueue-client"
chmod 700 "$tmp/queue"
printf 'hosts files\naliases files\n' >"$tmp/service.switch"
: >"$tmp/aliases"
cf=$root/usr/share/sendmail/cf
cat >"$tmp/sendmail.mc" <<MC
divert(-1)
divert(0)dnl
include(\`$cf/m4/cf.m4')dnl
VERSIONID(\`plainbounce test')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mx.sm.test')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confSERVICE_SWITCH_FILE', \`$tmp/service.switch')dnl
define(\`QUEUE_DIR', \`$tmp/queue')dnl
define(\`STATUS_FILE', \`$tmp/statistics')dnl
define(\`confPID_FILE', \`$tmp/sendmail.pid')dnl
define(\`ALIAS_FILE', \`$tmp/aliases')dnl
define(\`HELP_FILE', \`$tmp/helpfile')dnl
define(\`confHOST_STATUS_DIRECTORY', \`')dnl
define(\`confDONT_BLAME_SENDMAIL', \`GroupWritableDirPathSafe,GroupReadableSASLDBFile,AssumeSafeChown')dnl
define(\`confLOG_LEVEL', \`9')dnl
define(\`confTO_IDENT', \`0s')dnl
define(\`confDELIVERY_MODE', \`background')dnl
define(\`SMART_HOST', \`esmtp:[127.0.0.1]')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $rport')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $rport')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`no_default_msa')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`accept_unqualified_senders')dnl
FEATURE(\`promiscuous_relay')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA, Port=$sport, Addr=127.0.0.1')dnl
INPUT_MAIL_FILTER(\`plainbounce', \`S=local:$tmp/pb/pb.sock, T=S:30s;R:60s;E:5m')dnl
MAILER(\`smtp')dnl
MC
m4 "$tmp/sendmail.mc" >"$tmp/sendmail.cf" 2>"$tmp/m4.log" || die "m4: $(cat "$tmp/m4.log")"
cp "$srcdir/README.md" "$tmp/helpfile"

i=0; while [ ! -S "$tmp/pb/pb.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$tmp/pb/pb.sock" ] || die "plainbounce did not start: $(cat "$tmp/pb.log")"
LD_LIBRARY_PATH=$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu \
	"$root/usr/libexec/sendmail/sendmail" -C "$tmp/sendmail.cf" -bD -L sm-pbtest \
	>"$tmp/sendmail.log" 2>&1 &
sm_pid=$!
i=0; while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $sport), 1)" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || die "sendmail does not listen: $(cat "$tmp/sendmail.log")"
	sleep 0.1
done

# wait_remote N: until the next hop holds N messages (30 s at most)
wait_remote() {
	i=0
	while [ "$(ls "$tmp/remote"/*.eml 2>/dev/null | wc -l)" -lt "$1" ]; do
		i=$((i + 1)); [ $i -lt 300 ] || { ls "$tmp/remote"; cat "$tmp/sendmail.log"; return 1; }
		sleep 0.1
	done
}
# got N: the Nth message at the next hop, with LF line ends
got() { sed 's/\r$//' "$tmp/remote/$(printf %03d "$1").eml"; }
marker_is() { # FILE VALUE
	v=$($mail header "$1" X-Plainbounce) || { echo "no X-Plainbounce in $1"; return 1; }
	echo "X-Plainbounce: $v"; [ "$v" = "$2" ]
}

sed -e 's/^To: alice@example.com$/To: carol@remote.test/' \
	"$srcdir/tests/milter/msgs/postfix-userunknown.eml" >"$tmp/pf-dsn.eml"
$mail dsn "$tmp/pf-dsn.eml" >"$tmp/pf-dsn.part" || die "no DSN part"
send_pf() {
	$mail send "$sport" "" carol@remote.test "$tmp/pf-dsn.eml" && wait_remote 1 &&
		got 1 >"$tmp/got1"
}
check "Postfix-style DSN over SMTP relayed through Sendmail" send_pf
check "it carries X-Plainbounce" marker_is "$tmp/got1" "kind=failure; reason=userunknown; status=5.1.1"
check "its explanation is there" grep -q "Your message could not be delivered" "$tmp/got1"
same_part() { $mail dsn "$tmp/got1" >"$tmp/got1.part" && cmp "$tmp/pf-dsn.part" "$tmp/got1.part"; }
check "its delivery-status part is byte-identical to the one sent" same_part

send_sm() {
	$mail send "$sport" "" carol@remote.test \
		"$srcdir/tests/sendmail/sendmail-userunknown.eml" && wait_remote 2 &&
		got 2 >"$tmp/got2"
}
check "Sendmail-style DSN over SMTP relayed through Sendmail" send_sm
check "Sendmail-style DSN (no Content-Type in the first part) is explained" \
	marker_is "$tmp/got2" "kind=failure; reason=userunknown; status=5.1.1"

send_plain() {
	$mail send "$sport" alice@client.test carol@remote.test \
		"$srcdir/tests/milter/msgs/plain.eml" && wait_remote 3 && got 3 >"$tmp/got3"
}
check "ordinary mail relayed" send_plain
plain_unchanged() { # same body, no marker
	sed '1,/^$/d' "$srcdir/tests/milter/msgs/plain.eml" >"$tmp/plain-body"
	sed '1,/^$/d' "$tmp/got3" | cmp - "$tmp/plain-body" &&
		! grep -q '^X-Plainbounce' "$tmp/got3"
}
check "ordinary mail passes unchanged" plain_unchanged

own_bounce() {
	$mail send "$sport" alice@remote.test nosuchuser@remote.test \
		"$srcdir/tests/milter/msgs/plain.eml" && wait_remote 4 && got 4 >"$tmp/got4"
	grep -q "^Subject: Returned mail" "$tmp/got4" && ! grep -q "^X-Plainbounce" "$tmp/got4"
}
check "Sendmail's own bounce bypasses milters (arrives without X-Plainbounce)" own_bounce
check "plainbounce logged the two explanations with Sendmail's queue ids" \
	sh -c "[ \$(grep -c ': explained kind=failure' '$tmp/pb.log') -eq 2 ] && ! grep -q 'NOQUEUE: explained' '$tmp/pb.log'"

tap_end
