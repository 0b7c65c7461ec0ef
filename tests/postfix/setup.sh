# setup.sh - sourced by the Postfix end-to-end tests (run.sh, faults.sh):
# a private Postfix instance on loopback (own configuration, queue and
# mail directories, no DNS) with a fake remote SMTP server (fakesmtp.py)
# that rejects nosuchuser@remote.test, and plainbounce on a unix socket
# wired in as smtpd_milters and non_smtpd_milters with default_action=
# accept and internal_mail_filter_classes = bounce (DESIGN.md section 7).
#
# The caller sources it with srcdir and builddir set (or .); it makes
# them absolute, checks what is needed (exit 77, skip, when it is missing, e.g.
# under make distcheck as a normal user), makes $tmp, starts the fake
# server and defines:
#   ok, not_ok, check NAME CMD..., tap_end    TAP results (tests/tap.sh)
#   die TEXT          stop with status 99 and the end of Postfix's log
#   start_pb          plainbounce -f -c $tmp/pb.conf in the background
#                     ($pb_pid), waits for its socket
#   start_postfix     writes the instance's main.cf and master.cf and
#                     starts it; smtpd listens on 127.0.0.1:$pport
#   wait_mail N       until alice's Maildir ($maildir) holds N messages
#   newest            the newest message's file name in $maildir/new
#   queue_empty       the instance's queue is empty
# and $mail (mail.py), $pf (the instance), $tmp/pb.conf (a base
# configuration to append to before start_pb).
srcdir=$(cd "${srcdir:-.}" && pwd)
builddir=$(cd "${builddir:-.}" && pwd)
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

. "$srcdir/tests/tap.sh"
tap_init pbpf
pf=$tmp/pf
fake_pid= pb_pid=
on_exit() {
	[ -f "$pf/etc/main.cf" ] && postfix -c "$pf/etc" stop >/dev/null 2>&1
	[ -n "$pb_pid" ] && kill -TERM "$pb_pid" 2>/dev/null
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
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

# --- the private Postfix instance ---------------------------------------------
start_postfix() {
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
	# Debian's master.cf, with smtpd on our port and no chroot (the
	# milter socket and the maps live outside the queue directory)
	awk -v port="$pport" '
		/^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
		/^[a-z]/ && NF >= 8 { $5 = "n" }
		{ print }' /etc/postfix/master.cf >"$pf/etc/master.cf"
	postfix -c "$pf/etc" check >"$tmp/check.log" 2>&1 || die "postfix check: $(cat "$tmp/check.log")"
	postfix -c "$pf/etc" start >"$tmp/start.log" 2>&1 || die "postfix start: $(cat "$tmp/start.log")"
	i=0; while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $pport), 1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || die "postfix does not listen on $pport"; sleep 0.1; done
}

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
# queue_empty: nothing left in the instance's queue
queue_empty() { postqueue -c "$pf/etc" -p 2>&1 | grep -q "Mail queue is empty"; }
