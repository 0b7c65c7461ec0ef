#!/bin/sh
# run.sh - end to end with a real Postfix on loopback: a private Postfix
# instance (own configuration, queue and mail directories, loopback
# only, no DNS), a fake remote SMTP server (fakesmtp.py) that rejects
# chosen recipients, and plainbounce on a unix socket wired in as
# smtpd_milters and non_smtpd_milters with
# internal_mail_filter_classes = bounce (DESIGN.md section 7).
#
# Shows:
#  A. Postfix's own bounce for a recipient the remote server rejects
#     reaches the local Maildir explained (non_smtpd_milters path);
#  B. a DSN arriving over SMTP reaches the Maildir explained
#     (smtpd_milters path), its delivery-status part byte-identical to
#     the one sent;
#  C. the delivery-status parts equal those of the same run without
#     the milter (Postfix's own bounce: apart from its queue id and
#     arrival date, which differ per run);
#  D. with plainbounce stopped and default_action=accept, mail flows.
#
# Needs root (Postfix's daemons change user) and Postfix; exits 77
# (skip) otherwise, e.g. under make distcheck as a normal user.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
pb=$builddir/milter/plainbounce
here=$srcdir/tests/postfix
mail="python3 $here/mail.py"

# PB_SKIP_E2E: .ci/run sets it for make distcheck, after these tests
# ran in the build and the sanitizer build
[ -z "${PB_SKIP_E2E:-}" ] || { echo "SKIP: PB_SKIP_E2E is set"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for c in /usr/sbin/postfix /usr/sbin/postconf python3; do
	command -v "$c" >/dev/null 2>&1 || { echo "SKIP: no $c"; exit 77; }
done
[ -x "$pb" ] || { echo "missing $pb"; exit 99; }
getent passwd postfix >/dev/null && getent group postdrop >/dev/null ||
	{ echo "SKIP: postfix user or postdrop group missing"; exit 77; }
getent passwd nobody >/dev/null || { echo "SKIP: no user nobody"; exit 77; }

tmp=$(mktemp -d /tmp/pbpf.XXXXXX) || exit 99
chmod 755 "$tmp"
pf=$tmp/pf
fake_pid= pb_pid=
cleanup() {
	[ -f "$pf/etc/main.cf" ] && postfix -c "$pf/etc" stop >/dev/null 2>&1
	[ -n "$pb_pid" ] && kill -TERM "$pb_pid" 2>/dev/null
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	if [ -n "${PB_KEEP:-}" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {
	name=$1; shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else
		not_ok "$name"; sed 's/^/#   /' "$tmp/out" | head -30; fi
}
die() { echo "$*"; [ -f "$pf/maillog" ] && tail -30 "$pf/maillog"; exit 99; }

rport=$($mail freeport) && pport=$($mail freeport) || exit 99
[ "$rport" != "$pport" ] || pport=$($mail freeport)

# --- the fake remote server ---------------------------------------------
python3 "$here/fakesmtp.py" "$rport" "$tmp/remote" \
	"nosuchuser=550 5.1.1 <nosuchuser@remote.test>: Recipient address rejected: User unknown in virtual mailbox table" \
	>"$tmp/fake.log" 2>&1 &
fake_pid=$!

# --- plainbounce ------------------------------------------------------------
cat >"$tmp/pb.conf" <<CONF
Socket unix:$tmp/pb/pb.sock
SocketGroup postfix
SocketMode 0660
UserID nobody
LogLevel info
StatsInterval 0
CONF
start_pb() {
	"$pb" -f -c "$tmp/pb.conf" >>"$tmp/pb.log" 2>&1 &
	pb_pid=$!
	i=0; while [ ! -S "$tmp/pb/pb.sock" ] && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1)); done
	[ -S "$tmp/pb/pb.sock" ] || die "plainbounce did not start: $(cat "$tmp/pb.log")"
}
start_pb

# --- the private Postfix instance ---------------------------------------------
mkdir -p "$pf/etc" "$pf/queue" "$pf/data" "$pf/mail"
chown nobody "$pf/mail"
chown postfix "$pf/data"
nobody_uid=$(id -u nobody) nobody_gid=$(id -g nobody)
cat >"$pf/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-pbtest
maillog_file_prefixes = $tmp
maillog_file = $pf/maillog
myhostname = mx.local.test
mydomain = local.test
myorigin = local.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$rport
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtpd_peername_lookup = no
smtp_tls_security_level = none
smtpd_tls_security_level = none
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtputf8_enable = no
virtual_mailbox_domains = local.test
virtual_mailbox_base = $pf/mail
virtual_mailbox_maps = inline:{ alice@local.test=alice/ }
virtual_uid_maps = static:$nobody_uid
virtual_gid_maps = static:$nobody_gid
virtual_minimum_uid = 1
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
milter_default_action = accept
smtpd_milters = { unix:$tmp/pb/pb.sock, default_action=accept }
non_smtpd_milters = { unix:$tmp/pb/pb.sock, default_action=accept }
internal_mail_filter_classes = bounce
CF
# Debian's master.cf, with smtpd on our port and no chroot (the milter
# socket and the maps live outside the queue directory)
awk -v port="$pport" '
	/^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
	/^[a-z]/ && NF >= 8 { $5 = "n" }
	{ print }' /etc/postfix/master.cf >"$pf/etc/master.cf"
postfix -c "$pf/etc" check >"$tmp/check.log" 2>&1 || die "postfix check: $(cat "$tmp/check.log")"
postfix -c "$pf/etc" start >"$tmp/start.log" 2>&1 || die "postfix start: $(cat "$tmp/start.log")"
i=0; while ! $mail freeport >/dev/null 2>&1 || ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $pport), 1)" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || die "postfix does not listen on $pport"; sleep 0.1; done

maildir=$pf/mail/alice
# wait_mail N: until the Maildir holds N messages (30 s at most)
wait_mail() {
	i=0
	while [ "$(ls "$maildir/new" 2>/dev/null | wc -l)" -lt "$1" ]; do
		i=$((i + 1)); [ $i -lt 300 ] || { tail -20 "$pf/maillog"; return 1; }
		sleep 0.1
	done
}
# newest: the file name of the newest message in the Maildir
newest() { ls -t "$maildir/new" | head -1; }

# A remote DSN to send over SMTP: the sample bounce, addressed to alice
sed -e 's/^To: alice@example.com$/To: alice@local.test/' \
	"$srcdir/tests/milter/msgs/postfix-userunknown.eml" >"$tmp/remote-dsn.eml"
$mail dsn "$tmp/remote-dsn.eml" >"$tmp/remote-dsn.part" || die "no DSN part in sample"

# run_pair TAG: A (own bounce) then B (DSN over SMTP); copies to $tmp/TAG-A, -B
count=0
run_pair() {
	$mail send "$pport" alice@local.test nosuchuser@remote.test \
		"$srcdir/tests/milter/msgs/plain.eml" || return 1
	count=$((count + 1)); wait_mail $count || return 1
	cp "$maildir/new/$(newest)" "$tmp/$1-A"
	$mail send "$pport" "" alice@local.test "$tmp/remote-dsn.eml" || return 1
	count=$((count + 1)); wait_mail $count || return 1
	cp "$maildir/new/$(newest)" "$tmp/$1-B"
}

check "with the milter: bounce for a rejected recipient and a remote DSN delivered" run_pair milter
marker_is() { # FILE VALUE
	v=$($mail header "$1" X-Plainbounce) || { echo "no X-Plainbounce in $1"; return 1; }
	echo "X-Plainbounce: $v"; [ "$v" = "$2" ]
}
explained() { # FILE: explanation above the original first-part text
	grep -n -e "Your message could not be delivered" -e "This is the mail system" "$1" | head -3
	a=$(grep -n "Your message could not be delivered" "$1" | head -1 | cut -d: -f1)
	b=$(grep -n "This is the mail system" "$1" | head -1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}
check "A: Postfix's own bounce carries X-Plainbounce (non_smtpd_milters)" \
	marker_is "$tmp/milter-A" "kind=failure; reason=userunknown; status=5.1.1"
check "A: explanation sits above Postfix's own text" explained "$tmp/milter-A"
check "B: remote DSN carries X-Plainbounce (smtpd_milters)" \
	marker_is "$tmp/milter-B" "kind=failure; reason=userunknown; status=5.1.1"
check "B: explanation sits above the original text" explained "$tmp/milter-B"
dsn_same_as_sent() {
	$mail dsn "$tmp/milter-B" >"$tmp/milter-B.part" || return 1
	# Postfix stores LF line ends; the sample has LF as well
	cmp "$tmp/remote-dsn.part" "$tmp/milter-B.part"
}
check "B: delivery-status part byte-identical to the one sent" dsn_same_as_sent
qid_logged() {
	q=$(grep -o "[0-9A-Za-z]*: explained kind=failure" "$tmp/pb.log" | head -2 | cut -d: -f1)
	echo "queue ids: $q"
	[ "$(echo "$q" | wc -w)" -eq 2 ] || return 1
	for i in $q; do grep -q "$i" "$pf/maillog" || return 1; done
}
check "plainbounce logs both with Postfix's queue ids" qid_logged
own_bounce_qid() { # the queue id in A's Received line is the one logged
	q=$(sed -n 's/^[ \t]*id \([0-9A-F]*\);.*/\1/p' "$tmp/milter-A" | head -1)
	echo "queue id of Postfix's own bounce: $q"
	[ -n "$q" ] && grep "$q: explained kind=failure" "$tmp/pb.log" &&
		grep "$q: .*postfix-pbtest/bounce\|postfix-pbtest/bounce.*$q" "$pf/maillog"
}
check "A came the non-smtpd way (Postfix's bounce daemon); logged with its queue id" own_bounce_qid

# --- the same without the milter ------------------------------------------------
postconf -c "$pf/etc" -e "smtpd_milters =" "non_smtpd_milters =" &&
	postfix -c "$pf/etc" reload >/dev/null 2>&1 && sleep 1
check "without the milter: the same two messages delivered" run_pair plain
check "without the milter: no X-Plainbounce" sh -c "! grep -q '^X-Plainbounce' '$tmp/plain-A' '$tmp/plain-B'"
norm() { # the DSN part with per-run values (queue id, dates) masked
	$mail dsn "$1" | sed -e 's/^\(X-Postfix-Queue-ID:\).*/\1 QUEUEID/' \
		-e 's/^\(Arrival-Date:\).*/\1 DATE/'
}
dsn_equal() { # TAG: milter and plain runs' DSN parts
	norm "$tmp/milter-$1" >"$tmp/m.part" && norm "$tmp/plain-$1" >"$tmp/p.part" &&
		[ -s "$tmp/m.part" ] && diff "$tmp/p.part" "$tmp/m.part"
}
check "A: delivery-status part equals the run without the milter (queue id, date masked)" dsn_equal A
check "B: delivery-status part byte-identical to the run without the milter" \
	sh -c "$mail dsn '$tmp/milter-B' >'$tmp/mb' && $mail dsn '$tmp/plain-B' >'$tmp/pbb' && cmp '$tmp/mb' '$tmp/pbb'"

# --- plainbounce stopped: default_action=accept keeps mail flowing ---------------
postconf -c "$pf/etc" -e "smtpd_milters = { unix:$tmp/pb/pb.sock, default_action=accept }" \
	"non_smtpd_milters = { unix:$tmp/pb/pb.sock, default_action=accept }" &&
	postfix -c "$pf/etc" reload >/dev/null 2>&1 && sleep 1
stop_pb() {
	kill -TERM "$pb_pid" && wait "$pb_pid"; rc=$?; pb_pid=
	[ $rc -eq 0 ] && [ ! -e "$tmp/pb/pb.sock" ]
}
check "plainbounce stops on SIGTERM" stop_pb
check "milter down: both messages still delivered (default_action=accept)" run_pair down
check "milter down: delivered unchanged (no X-Plainbounce)" \
	sh -c "! grep -q '^X-Plainbounce' '$tmp/down-A' '$tmp/down-B'"
check "milter down: Postfix logged the milter failure and went on" \
	grep -qi "milter.*pb.sock" "$pf/maillog"

echo "1..$n"
[ $failed -eq 0 ] || { echo "$failed of $n failed"; exit 1; }
