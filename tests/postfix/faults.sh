#!/bin/sh
# faults.sh - faults in the middle of a stream of bounces through a real
# Postfix (issue 7, item 5): the private instance of setup.sh with
# plainbounce as smtpd and non-smtpd milter, default_action=accept.
#
# PB_FAULT_MESSAGES (200) messages go in from 4 SMTP clients: three in
# five bounces with the null sender (tests/corpus), one in five ordinary
# mail, one in five mail to a recipient the remote server refuses, so
# that Postfix's own bounce comes back through the non-smtpd milter.
# While they flow:
#   at 15 %  kill -9 of plainbounce while a bounce is half-way (its
#            client holds it after RCPT TO), restart a second later;
#   at 35 %  SIGHUP with a good change (DefaultLanguage de -> es);
#   at 50 %  the same, and an immediate restart;
#   at 65 %  SIGHUP with a bad configuration (unknown key): refused,
#            the old one stays;
#   at 80 %  SIGHUP after the es catalog file is removed: refused, the
#            catalog in memory stays.
# Then: the queue drains with nothing deferred; every message sent was
# taken (250) and is delivered exactly once, explained (X-Plainbounce,
# a German or Spanish title on top, the delivery-status part as sent)
# or unchanged (body as sent); a last bounce is explained in Spanish by
# the process started at 50 %, which then stops cleanly.
#
# Prints the figures as "# faults:" lines.  Needs root and Postfix (see
# setup.sh); exits 77 otherwise.
set -u
. "${srcdir:-.}/tests/postfix/setup.sh"
faults="python3 $here/faults.py"
total=${PB_FAULT_MESSAGES:-200}

# the catalogs in a directory of our own, so that one can be removed
cp -R "$srcdir/etc/catalog" "$tmp/catalog"
cp "$tmp/pb.conf" "$tmp/pb.base"
# setconf LANG [more lines]: the configuration the next (re)load reads
setconf() {
	{ cat "$tmp/pb.base"; echo "CatalogDir $tmp/catalog"
	  echo "DefaultLanguage $1"; shift
	  for l in "$@"; do echo "$l"; done; } >"$tmp/pb.conf"
}
setconf de
start_pb
start_postfix

# started: how many times the daemon logged its start
started() { grep -c "notice: plainbounce .* started" "$tmp/pb.log"; }
# wait_log PATTERN COUNT: until the daemon's log has COUNT such lines
wait_log() {
	i=0; while [ "$(grep -c -e "$1" "$tmp/pb.log")" -lt "$2" ]; do
		i=$((i + 1)); [ $i -lt 200 ] || return 1; sleep 0.05; done
}
# restart: a new daemon (it must clear the stale socket itself)
restart() {
	s=$(started)
	start_pb
	wait_log "notice: plainbounce .* started" $((s + 1)) ||
		die "plainbounce did not restart: $(tail -5 "$tmp/pb.log")"
}
progress() { cat "$tmp/sent/progress" 2>/dev/null || echo 0; }
# at PERCENT: wait until that share of the stream is done
at() {
	i=0; while [ "$(progress)" -lt $((total * $1 / 100)) ]; do
		i=$((i + 1)); [ $i -lt 3000 ] || die "the stream stalls at $(progress)"
		sleep 0.02; done
	echo "$1% $(progress)" >>"$tmp/faults.log"
}

# two bounces held half-way (after RCPT TO) across the kills: h1, h2
h1=$((total / 10 / 5 * 5 + 2)) h2=$((total * 4 / 10 / 5 * 5 + 2))
mkdir "$tmp/sent"
$faults stream "$pport" "$total" 0.25 "$h1,$h2" "$tmp/sent" \
	"$srcdir"/tests/corpus/postfix/*.eml "$srcdir"/tests/corpus/sendmail/*.eml \
	"$srcdir"/tests/corpus/exim/*.eml "$srcdir"/tests/corpus/exchange/*.eml \
	>"$tmp/stream.log" 2>&1 &
stream_pid=$!

# held K: the client of message K waits after RCPT TO
held() {
	i=0; while [ ! -e "$tmp/sent/held-$1" ]; do i=$((i + 1))
		[ $i -lt 600 ] || die "message $1 never held"; sleep 0.05; done
}
# kill9 K: kill -9 while message K is half-way; let it go on afterwards
kills=0 reloads=0
kill9() {
	held "$1"
	kill -KILL "$pb_pid"; wait "$pb_pid" 2>/dev/null; kills=$((kills + 1))
	touch "$tmp/sent/release-$1"
}
at 15; kill9 $h1
sleep 1; restart
at 35; setconf es; kill -HUP "$pb_pid"; reloads=$((reloads + 1))
wait_log "reloaded configuration" 1 || die "no reload"
at 50; kill9 $h2
restart
pid2=$pb_pid
at 65; setconf es "NoSuchKey 1"; kill -HUP "$pb_pid"; reloads=$((reloads + 1))
wait_log "reload refused" 1 || die "bad configuration not refused"
at 80; setconf es; rm "$tmp/catalog/es"; kill -HUP "$pb_pid"; reloads=$((reloads + 1))
wait_log "reload refused" 2 || die "missing catalog not refused"
echo "end $(progress)" >>"$tmp/faults.log"
wait "$stream_pid"

check "every fault came while the stream was flowing" \
	awk -v total="$total" '{ print } $2 >= total { bad = 1 } END { exit bad }' \
	"$tmp/faults.log"
drained() {
	i=0; while ! queue_empty; do i=$((i + 1))
		[ $i -lt 600 ] || { postqueue -c "$pf/etc" -p; return 1; }; sleep 0.1; done
	# the queue files are gone once the Maildir has the message
	expected=$(grep -c ' ok$' "$tmp/sent/sent.log")
	wait_mail "$expected"
}
check "the queue drains, nothing deferred" drained
check "every message sent was taken by Postfix (250)" \
	sh -c "! grep -v ' ok\$' '$tmp/sent/sent.log'"
check "each delivered exactly once, explained or unchanged, none lost" \
	$faults count "$tmp/sent" "$maildir" "$srcdir/etc/catalog"
figures=$(head -1 "$tmp/out")
check "explanations in German before the reload and in Spanish after it" \
	sh -c "echo '$figures' | grep -q ' de=[1-9]' && echo '$figures' | grep -q ' es=[1-9]'"
refused_why() {
	grep "reload refused" "$tmp/pb.log"
	grep "reload refused.*pb.conf:[0-9]*: .*NoSuchKey" "$tmp/pb.log" &&
		grep "reload refused.*catalog" "$tmp/pb.log"
}
check "both bad reloads refused, with the file and line or the catalog" refused_why
check "the good reload taken once" sh -c "[ \$(grep -c 'reloaded configuration' '$tmp/pb.log') -eq 1 ]"
probe() {
	n0=$(ls "$maildir/new" | wc -l)
	sed 's/^To: alice@example.com$/To: alice@local.test/' \
		"$srcdir/tests/milter/msgs/postfix-userunknown.eml" >"$tmp/probe.eml"
	$mail send "$pport" "" alice@local.test "$tmp/probe.eml" || return 1
	wait_mail $((n0 + 1)) || return 1
	f=$maildir/new/$(newest)
	grep -m1 '^X-Plainbounce' "$f" && grep -q '\*\*\* No se pudo entregar su mensaje \*\*\*' "$f" &&
		kill -0 "$pid2" && [ "$pb_pid" = "$pid2" ]
}
check "after the faults the same process explains a bounce, still in Spanish" probe
stop_pb() { kill -TERM "$pb_pid" && wait "$pb_pid"; rc=$?; pb_pid=; [ $rc -eq 0 ]; }
check "it stops cleanly on SIGTERM" stop_pb

# Postfix's words for a milter that died in a session, and for one down
broken=$(grep -c "warning: milter unix:" "$pf/maillog")
refused=$(grep -c "warning: connect to Milter service" "$pf/maillog")
check "Postfix saw the milter die in a session, and went on" \
	sh -c "grep 'warning: milter unix:' '$pf/maillog' | head -5; [ $broken -gt 0 ]"
echo "# faults: $figures"
echo "# faults: $kills kill -9 and restarts, $reloads SIGHUPs (1 good, 2 refused); Postfix went on (default_action=accept) after $broken broken milter sessions and $refused refused milter connections"
tap_end
