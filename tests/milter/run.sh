#!/bin/sh
# run.sh - milter-protocol tests of the real plainbounce daemon: start it
# on a unix socket with a test configuration, drive it with miltertest
# (message.lua) and check the exact edits, the log lines, reloads,
# stops, the socket and the configuration checks.
#
# milter/plainbounce is the daemon as installed.  Tests that need a
# whole-body replacement or an injected failure use
# tests/milter/plainbounce-test, the same sources built with
# -DMF_TESTING (fault hook, and body replacement cut into pieces small
# enough for miltertest's 1 KiB reply buffer).
#
# Exit 77 (skip) without miltertest.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
prod=$builddir/milter/plainbounce
testd=$builddir/tests/milter/plainbounce-test
expect=$builddir/tests/milter/pb-expect
lua=$srcdir/tests/milter/message.lua
msgs=$srcdir/tests/milter/msgs

command -v miltertest >/dev/null 2>&1 || { echo "SKIP: no miltertest"; exit 77; }
for f in "$prod" "$testd" "$expect"; do
	[ -x "$f" ] || { echo "missing $f"; exit 99; }
done
# $tmp under /tmp (unix socket paths are short), $pids stopped at exit,
# ok, not_ok, check, tap_end
. "$srcdir/tests/tap.sh"
tap_init pbmt

# crlf FILE -> the message as on the wire
for f in "$msgs"/*.eml; do
	sed 's/$/\r/' "$f" >"$tmp/$(basename "$f")"
done
# a bounce too big for a 4 KiB MaxMessageSize: a long returned message
{ sed '/^Alice$/q' "$tmp/postfix-userunknown.eml"
  i=0; while [ $i -lt 200 ]; do
	echo "filler line $i of a long returned message, long enough to count"
	i=$((i + 1)); done | sed 's/$/\r/'
  printf '\r\n--4Z6qKd1yVbz9R.1741083342/mail.example.com--\r\n'
} >"$tmp/big.eml"
# the delivery-status part of the Postfix bounce, which must survive
# byte for byte
awk '/^Content-Type: message\/delivery-status/{p=1} p&&/^--4Z6qKd1yVbz9R/{exit} p' \
	"$tmp/postfix-userunknown.eml" >"$tmp/dsn-part"
[ -s "$tmp/dsn-part" ] || { echo "cannot cut the DSN part"; exit 99; }

# oracle NAME MSG [pb-expect options]: the edits the library computes
oracle() {
	o=$tmp/oracle-$1; m=$2; shift 2
	mkdir -p "$o" && "$expect" "$@" "$tmp/$m" "$o" >"$o/summary"
}

# conf NAME [Key Value lines...]: write $tmp/NAME.conf
conf() {
	c=$tmp/$1.conf; shift
	{ echo "# test configuration"; echo "Socket unix:$tmp/$(basename "$c" .conf).sock"
	  echo "LogLevel info"; echo "StatsInterval 0"
	  for l in "$@"; do echo "$l"; done; } >"$c"
}

# start NAME BINARY [VAR=value...]: run BINARY -f -c NAME.conf with the
# environment, wait for its socket; sets pid_NAME
start() {
	name=$1 bin=$2; shift 2
	rm -f "$tmp/$name.sock"
	env "$@" "$bin" -f -c "$tmp/$name.conf" -P "$tmp/$name.pid" \
		>"$tmp/$name.log" 2>&1 &
	p=$!
	pids="$pids $p"
	eval "pid_$name=$p"
	i=0
	while [ ! -S "$tmp/$name.sock" ] && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1)); done
	[ -S "$tmp/$name.sock" ] || { echo "daemon $name did not start:";
		cat "$tmp/$name.log"; exit 99; }
}

# mt NAME MSG SENDER EXPECT [-D...]: one miltertest run against NAME
mt() {
	d=$1 m=$2 s=$3 e=$4; shift 4
	lastq=Q$n$d
	miltertest -s "$lua" -D sock="unix:$tmp/$d.sock" -D msg="$tmp/$m" \
		-D sender="$s" -D expect="$e" -D qid="$lastq" "$@"
}

# logged NAME TEXT: the daemon's log holds TEXT
logged() { grep -F -e "$2" "$tmp/$1.log"; }

# stop NAME: SIGTERM, then exit status 0, "stopped", socket and pid
# file gone
stop() {
	eval "p=\$pid_$1"
	# it may have gone already (the caller signals several at once):
	# wait still reports its exit status
	kill -TERM "$p" 2>/dev/null
	wait "$p"
	rc=$?
	[ $rc -eq 0 ] || { echo "exit status $rc"; return 1; }
	logged "$1" "notice: stopped" >/dev/null &&
		[ ! -e "$tmp/$1.sock" ] && [ ! -e "$tmp/$1.pid" ] &&
		[ ! -e "$tmp/run/$1.sock" ] && [ ! -e "$tmp/run/$1.pid" ] ||
		{ echo "no clean stop:"; cat "$tmp/$1.log"; return 1; }
}

marker='kind=failure; reason=userunknown; status=5.1.1'
explain_lead='Your message could not be delivered'
orig_text='This is the mail system at host mail.example.com.'

# --- the installed binary, header-only mode -----------------------------
conf prod "Mode header-only"
start prod "$prod"
oracle ho postfix-userunknown.eml -m header-only
check "null-sender Postfix bounce gets exactly the marker header (header-only)" \
	mt prod postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-ho" \
	-D marker="$marker"
check "explained line starts with the queue id, names reason and status" \
	logged prod "$lastq: explained kind=failure rcpts=1 reasons=userunknown status=5.1.1 action=header-only"
check "ordinary sender is accepted at MAIL FROM" \
	mt prod plain.eml "<alice@example.com>" accept-mailfrom
check "postmaster sender (not in BounceSenders) is accepted at MAIL FROM" \
	mt prod plain.eml "<postmaster@example.net>" accept-mailfrom
check "BounceSenders MAILER-DAEMON@* is a candidate and gets explained" \
	mt prod postfix-userunknown.eml "<MAILER-DAEMON@mx.example.net>" edited \
	-D oracle="$tmp/oracle-ho" -D marker="$marker"
check "read receipt (null sender) is accepted at end of headers" \
	mt prod read-receipt.eml "<>" accept-eoh
check "auto-reply (null sender) passes unchanged" \
	mt prod autoreply.eml "<>" unchanged
check "auto-reply logged as not a bounce" logged prod "pass-through: not a bounce kind=vacation"
check "already-marked bounce is accepted at end of headers" \
	mt prod marked.eml "<>" accept-eoh
check "already-marked logged" logged prod "pass-through: already marked"

# --- rewrite mode: the whole body (test build, body in pieces) ----------
conf rw
start rw "$testd" PLAINBOUNCE_TEST_BODY_PIECE=900
oracle rw postfix-userunknown.eml
check "Postfix bounce via smtpd (<>): exact header edits and new body" \
	mt rw postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-rw" \
	-D piece=900 -D marker="$marker" -D keep="$tmp/dsn-part" \
	-D lead="$explain_lead" -D after="$orig_text"
check "Postfix's own bounce (empty sender): same edits" \
	mt rw postfix-userunknown.eml "" edited -D oracle="$tmp/oracle-rw" \
	-D piece=900 -D marker="$marker" -D keep="$tmp/dsn-part"
oracle bad malformed.eml
if grep -q changed=1 "$tmp/oracle-bad/summary"; then want=edited; else want=unchanged; fi
check "malformed MIME bounce passes as the library decides ($want), no crash" \
	mt rw malformed.eml "<>" "$want" -D oracle="$tmp/oracle-bad" -D piece=900
check "daemon still serves after the malformed bounce" \
	mt rw postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-rw" -D piece=900
par() { # eight bounces at once on one daemon
	i=0; ps=
	while [ $i -lt 8 ]; do
		mt rw postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-rw" \
			-D piece=900 >"$tmp/par$i" 2>&1 &
		ps="$ps $!"; i=$((i + 1))
	done
	r=0; for p in $ps; do wait "$p" || r=1; done
	[ $r -eq 0 ] || cat "$tmp"/par*
	return $r
}
check "eight bounces in parallel all get the exact edits" par

# --- size cap -------------------------------------------------------------
conf big "MaxMessageSize 4096"
start big "$testd" PLAINBOUNCE_TEST_BODY_PIECE=900
check "bounce over MaxMessageSize is accepted unchanged during the body" \
	mt big big.eml "<>" accept-body
check "oversize logged at err" logged big "err: $lastq: pass-through: message larger than MaxMessageSize=4096"
small_ok() {
	oracle sm autoreply.eml && mt big autoreply.eml "<>" unchanged
}
check "a message under the cap is still analysed" small_ok

# --- dry-run ----------------------------------------------------------------
conf dry "Mode dry-run"
start dry "$prod" JOURNAL_STREAM=9:99
check "under systemd: journald's <level> prefix, no own time stamp" \
	grep -Eq '^<5>notice: plainbounce .* started' "$tmp/dry.log"
check "dry-run: bounce passes unchanged" mt dry postfix-userunknown.eml "<>" unchanged
check "dry-run: logs what it would do" \
	logged dry "dry-run: would explain kind=failure rcpts=1 reasons=userunknown status=5.1.1"

# --- injected failures: the message passes unchanged ------------------------
conf fp
start fp "$testd" PLAINBOUNCE_TEST_FAULT=process
check "library failure: bounce passes unchanged" mt fp postfix-userunknown.eml "<>" unchanged
check "library failure logged at err" logged fp "err: $lastq: pass-through: "
conf fh
start fh "$testd" PLAINBOUNCE_TEST_FAULT=addheader
check "failing smfi_addheader: no further edit (body untouched)" \
	mt fh postfix-userunknown.eml "<>" unchanged
check "failing edit logged at err" logged fh "smfi_addheader X-Plainbounce failed; stopped editing"

# --- signals: reload, counters, stop with a message in flight --------------
conf hup "Mode header-only"
start hup "$testd" PLAINBOUNCE_TEST_BODY_PIECE=900
cp "$tmp/hup.conf" "$tmp/hup-ho.conf"
conf hup-rw-src "Mode rewrite"
sed "s|hup-rw-src.sock|hup.sock|" "$tmp/hup-rw-src.conf" >"$tmp/hup-rw.conf"
check "in-flight message keeps its configuration across SIGHUP" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-ho" \
	-D marker="$marker" \
	-D midcmd="cp $tmp/hup-rw.conf $tmp/hup.conf && kill -HUP $pid_hup && sleep 0.3"
check "SIGHUP reload logged" logged hup "reloaded configuration $tmp/hup.conf (generation 2)"
check "after SIGHUP new messages get the new Mode (rewrite)" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-rw" -D piece=900
printf 'NoSuchKey 1\n' >>"$tmp/hup.conf"
kill -HUP "$pid_hup"; sleep 0.3
check "bad configuration on SIGHUP is refused, naming file and line" \
	logged hup "err: reload refused, configuration unchanged: $tmp/hup.conf:"
check "after a refused reload the old configuration stays" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-rw" -D piece=900
# SIGHUP reads the catalogs again: an override file changes the text
# of the entry the library uses for this bounce
key=$(sed -n 's/.* key=//p' "$tmp/oracle-rw/summary")
printf '[%s]\nwhat = Override one: {recipient} has no mailbox.\ncause = x.\ntodo = y.\nowner = z.\n' "$key" >"$tmp/ov1"
printf '[%s]\nwhat = Override two: {recipient} has no mailbox.\ncause = x.\ntodo = y.\nowner = z.\n' "$key" >"$tmp/ov2"
cp "$tmp/ov1" "$tmp/overrides"
sed -i '/^NoSuchKey/d' "$tmp/hup.conf"
echo "CatalogOverrides $tmp/overrides" >>"$tmp/hup.conf"
kill -HUP "$pid_hup"; sleep 0.3
oracle ov1 postfix-userunknown.eml -O "$tmp/ov1"
check "SIGHUP loads a catalog override file" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-ov1" -D piece=900 \
	-D lead="Override one: bob.smith@example.org has no mailbox." -D after="$orig_text"
cp "$tmp/ov2" "$tmp/overrides"
kill -HUP "$pid_hup"; sleep 0.3
oracle ov2 postfix-userunknown.eml -O "$tmp/ov2"
check "SIGHUP reads the changed catalog again" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-ov2" -D piece=900 \
	-D lead="Override two: bob.smith@example.org has no mailbox."
printf '[status:5.1.1]\nwhat = Broken\nbogus line\n' >"$tmp/overrides"
kill -HUP "$pid_hup"; sleep 0.3
check "a broken catalog on SIGHUP is refused, naming the catalog file" \
	logged hup "err: reload refused, configuration unchanged: $tmp/hup.conf: catalog for DefaultLanguage en: $tmp/overrides"
check "after a refused catalog the last good one stays" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-ov2" -D piece=900
kill -USR1 "$pid_hup"; sleep 0.3
check "SIGUSR1 logs the counters" logged hup "stats messages=6 accept_sender=0 candidates=6"
check "SIGTERM with a message in flight: the message still gets its edits" \
	mt hup postfix-userunknown.eml "<>" edited -D oracle="$tmp/oracle-ov2" -D piece=900 \
	-D midcmd="kill -TERM $pid_hup && sleep 0.3"
check "after SIGTERM the daemon exits 0 and removes socket and pid file" stop hup

# --- start-up: configuration checks, sockets, users ---------------------------
check "-V prints the version" sh -c "'$prod' -V | grep -q '^plainbounce [0-9]'"
check "-n accepts a good configuration" sh -c "'$prod' -n -c '$tmp/prod.conf' | grep -q 'configuration OK'"
printf 'Socket unix:/tmp/x.sock\nMaxMessageSize 12 parsecs\n' >"$tmp/bad1.conf"
badconf() { # badconf FILE TEXT: -n fails with status 78 and TEXT
	"$prod" -n -c "$1" >"$tmp/nout" 2>&1; rc=$?
	cat "$tmp/nout"; [ $rc -eq 78 ] && grep -qF -e "$2" "$tmp/nout"
}
check "-n: bad value is an error naming file and line (exit 78)" \
	badconf "$tmp/bad1.conf" "$tmp/bad1.conf:2: MaxMessageSize: bad value"
printf '# x\n\nSocketMode 0660\nUserId\n Colour blue\n' >"$tmp/bad2.conf"
check "-n: unknown key is an error naming file and line" \
	badconf "$tmp/bad2.conf" "$tmp/bad2.conf:5: unknown key \"Colour\""
check "-n: missing explicit file is an error" badconf "$tmp/none.conf" "$tmp/none.conf: No such file"
check "-p overrides Socket" sh -c "'$prod' -n -c '$tmp/prod.conf' -p inet:9999@127.0.0.1 | grep -q '^Socket *inet:9999@127.0.0.1'"
check "-p rejects a bad socket" sh -c "! '$prod' -n -c '$tmp/prod.conf' -p tcp:25 2>&1 | grep -q OK"

conf stale
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$tmp/stale.sock" ||
	touch "$tmp/stale.sock"
check "a stale socket file is replaced" sh -c "[ -S '$tmp/stale.sock' ]"
start stale "$prod"
check "daemon listens on the former stale socket" mt stale plain.eml "<a@b.example>" accept-mailfrom
second() {
	"$prod" -f -c "$tmp/stale.conf" >"$tmp/second.log" 2>&1; rc=$?
	cat "$tmp/second.log"; [ $rc -eq 71 ] && grep -q "another process is listening" "$tmp/second.log"
}
check "a second daemon on a live socket refuses to start (exit 71)" second
check "the first daemon still answers" mt stale plain.eml "<a@b.example>" accept-mailfrom

if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
	# the socket's directory does not exist yet: the daemon makes it,
	# owned by UserID, so that it can remove socket and pid file at exit
	chmod 755 "$tmp"
	conf priv "SocketMode 0620" "SocketGroup nogroup" "UserID nobody"
	sed -i "s|^Socket .*|Socket unix:$tmp/run/priv.sock|" "$tmp/priv.conf"
	"$prod" -f -c "$tmp/priv.conf" -P "$tmp/run/priv.pid" >"$tmp/priv.log" 2>&1 &
	pid_priv=$!; pids="$pids $pid_priv"
	i=0; while [ ! -S "$tmp/run/priv.sock" ] && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1)); done
	ln -s "$tmp/run/priv.sock" "$tmp/priv.sock"
	perms() {
		stat -c '%a %U %G' "$tmp/run/priv.sock" "$tmp/run"
		[ "$(stat -c '%a %U %G' "$tmp/run/priv.sock")" = "620 nobody nogroup" ] &&
		[ "$(stat -c '%U' "$tmp/run")" = nobody ]
	}
	check "socket gets SocketMode, UserID owner and SocketGroup" perms
	runs_as() { grep -E "^Uid:" "/proc/$pid_priv/status"
		[ "$(awk '/^Uid:/{print $2 $3 $4 $5}' "/proc/$pid_priv/status")" = \
		  "$(id -u nobody)$(id -u nobody)$(id -u nobody)$(id -u nobody)" ]; }
	check "daemon dropped privileges to UserID" runs_as
	check "daemon as nobody still works" mt priv plain.eml "<a@b.example>" accept-mailfrom
	rm -f "$tmp/priv.sock"
else
	echo "# skipped socket owner and UserID checks: not root"
fi

# --- stop the others together (libmilter notices within 5 s) -------------
stops=
for d in prod rw big dry fp fh stale priv; do
	eval "p=\${pid_$d:-}"; [ -n "$p" ] && stops="$stops $d"
	[ -n "$p" ] && kill -TERM "$p"
done
for d in $stops; do
	check "$d: SIGTERM -> exit 0, socket and pid file removed" stop "$d"
done
pids=
tap_end
