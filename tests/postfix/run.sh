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
. "${srcdir:-.}/tests/postfix/setup.sh"
start_pb
start_postfix

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

tap_end
