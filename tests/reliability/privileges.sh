#!/bin/sh
# privileges.sh - the daemon's user, group and socket (issue 7, item 6).
#
# Shows, with the real daemon started as root:
#  A. with -u nobody it opens its socket as root, then runs as nobody:
#     before the first message every thread's real, effective, saved
#     and file-system uid and gid are nobody's, it has no supplementary
#     root group and no effective capability; it then explains a bounce
#     (header-only mode, the exact edit from pb-expect) and is still
#     nobody;
#  B. the socket is 0660 by default, owned by nobody and nobody's group,
#     not world-writable; SocketGroup and SocketMode set them, 0666 only
#     when configured;
#  C. a UserID (or -u) that names no user, or a group that does not
#     exist, stops the start with status 78 before any socket is made:
#     no fall-back to root;
#  D. a UserID that cannot be taken (the daemon is not root) stops the
#     start with status 71 before the socket is made: it never goes on
#     as the wrong user;
#  E. started as root without UserID, it runs and logs a warning.
#
# Needs root, the users nobody and daemon's group, and miltertest; exits
# 77 (skip) otherwise.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
pb=$builddir/milter/plainbounce
expect=$builddir/tests/milter/pb-expect
lua=$srcdir/tests/milter/message.lua
msg=$srcdir/tests/milter/msgs/postfix-userunknown.eml

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x "$pb" ] || { echo "SKIP: no $pb (built without libmilter)"; exit 77; }
command -v miltertest >/dev/null 2>&1 || { echo "SKIP: no miltertest"; exit 77; }
command -v setpriv >/dev/null 2>&1 || { echo "SKIP: no setpriv"; exit 77; }
getent passwd nobody >/dev/null && getent group daemon >/dev/null ||
	{ echo "SKIP: no user nobody or group daemon"; exit 77; }
[ -x "$expect" ] || { echo "missing $expect"; exit 99; }
uid=$(id -u nobody) gid=$(id -g nobody) dgid=$(getent group daemon | cut -d: -f3)

# $tmp is 0755: the socket's directory must be reachable by nobody (D)
. "$srcdir/tests/tap.sh"
tap_init pbpriv

# conf NAME [Key Value lines...]: write $tmp/NAME.conf
conf() {
	c=$tmp/$1.conf; shift
	{ echo "Socket unix:$tmp/$(basename "$c" .conf)/pb.sock"
	  echo "LogLevel info"; echo "StatsInterval 0"
	  for l in "$@"; do echo "$l"; done; } >"$c"
}
# start NAME [flags...]: the daemon in the foreground; waits for the
# "started" line (logged once the message thread runs); sets pid_NAME
start() {
	d=$1; shift
	"$pb" -f -c "$tmp/$d.conf" "$@" >"$tmp/$d.log" 2>&1 &
	p=$!; pids="$pids $p"; eval "pid_$d=$p"
	i=0; while ! grep -q "notice: plainbounce .* started" "$tmp/$d.log" &&
	    [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	grep -q "started" "$tmp/$d.log" || { cat "$tmp/$d.log"; return 1; }
}
# ids PID: every thread's uid, gid, groups and effective capabilities
# are nobody's and none
ids() {
	nt=0
	for s in /proc/"$1"/task/*/status; do
		nt=$((nt + 1))
		u=$(sed -n 's/^Uid:[ \t]*//p' "$s" | tr -s ' \t' ' ')
		g=$(sed -n 's/^Gid:[ \t]*//p' "$s" | tr -s ' \t' ' ')
		gs=$(sed -n 's/^Groups:[ \t]*//p' "$s" | tr -s ' \t' ' ')
		cap=$(sed -n 's/^CapEff:[ \t]*//p' "$s")
		echo "$s: Uid $u Gid $g Groups '$gs' CapEff $cap"
		[ "$u" = "$uid $uid $uid $uid" ] && [ "$g" = "$gid $gid $gid $gid" ] &&
			[ "$cap" = 0000000000000000 ] || return 1
		for x in $gs; do [ "$x" != 0 ] || return 1; done
	done
	echo "$nt threads"
	[ $nt -ge 2 ]
}
# sockmode FILE MODE USER GROUP-ID: the socket's mode and owner
sockmode() {
	s=$(stat -c '%a %U %g' "$1") || return 1
	echo "$1: $s"
	[ "$s" = "$2 $3 $4" ]
}

# --- A, B: -u nobody, default SocketMode --------------------------------
conf a "Mode header-only"
check "A: the daemon starts with -u nobody" start a -u nobody
check "A: before the first message every thread runs as nobody, no root group, no capability" \
	ids "$pid_a"
check "B: the socket is 0660 by default, owned by nobody and nobody's group" \
	sockmode "$tmp/a/pb.sock" 660 nobody "$gid"
sed 's/$/\r/' "$msg" >"$tmp/msg.eml"
mkdir "$tmp/oracle" && "$expect" -m header-only "$tmp/msg.eml" "$tmp/oracle" >/dev/null ||
	{ echo "pb-expect failed"; exit 99; }
check "A: running as nobody, it explains a bounce (the exact edit)" \
	miltertest -s "$lua" -D sock="unix:$tmp/a/pb.sock" -D msg="$tmp/msg.eml" \
	-D sender="<>" -D expect=edited -D qid=PRIV1 -D oracle="$tmp/oracle"
check "A: it logged the explained message" grep -q "PRIV1: explained" "$tmp/a.log"
check "A: after the message it is still nobody in every thread" ids "$pid_a"
check "E: -u given: no warning about root" sh -c "! grep -q 'running as root' '$tmp/a.log'"

conf b "UserID nobody" "SocketGroup daemon" "SocketMode 0640"
check "B: SocketGroup and SocketMode set the socket's group and mode" \
	sh -c "$(command -v "$pb") -f -c '$tmp/b.conf' >'$tmp/b.log' 2>&1 & echo \$! >'$tmp/b.pid'; \
	i=0; while [ ! -S '$tmp/b/pb.sock' ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done"
pids="$pids $(cat "$tmp/b.pid")"
sleep 0.2
check "B: ... 0640, nobody, group daemon" sockmode "$tmp/b/pb.sock" 640 nobody "$dgid"
conf w "UserID nobody" "SocketMode 0666"
check "B: world-writable only when configured (SocketMode 0666)" start w
check "B: ... 0666" sockmode "$tmp/w/pb.sock" 666 nobody "$gid"

# --- C: a user or group that does not exist ---------------------------------
refused() { # NAME STATUS TEXT [flags...]: start refused with STATUS, TEXT logged, no socket
	d=$1 want=$2 text=$3; shift 3
	"$pb" -f -c "$tmp/$d.conf" "$@" >"$tmp/$d.log" 2>&1 </dev/null
	rc=$?
	echo "exit status $rc:"; cat "$tmp/$d.log"
	[ $rc -eq "$want" ] && grep -q -e "$text" "$tmp/$d.log" &&
		[ ! -e "$tmp/$d/pb.sock" ]
}
conf c1 "UserID pb-no-such-user"
check "C: UserID naming no user: refused with status 78, no socket, no root fall-back" \
	refused c1 78 "no such user"
conf c2
check "C: -u naming no user: refused with status 78" refused c2 78 "no such user" -u pb-no-such-user
conf c3 "UserID nobody:pb-no-such-group"
check "C: UserID naming no group: refused with status 78" refused c3 78 "no such group"

# --- D: UserID that cannot be taken ------------------------------------------------
conf d "UserID daemon"
mkdir "$tmp/d" && chown nobody "$tmp/d"
dropped() {
	setpriv --reuid=nobody --regid="$gid" --clear-groups \
		"$pb" -f -c "$tmp/d.conf" >"$tmp/d.log" 2>&1 </dev/null
	rc=$?
	echo "exit status $rc:"; cat "$tmp/d.log"
	[ $rc -eq 71 ] && grep -q "only root can change user" "$tmp/d.log" &&
		! grep -q "started" "$tmp/d.log" && [ ! -e "$tmp/d/pb.sock" ]
}
check "D: not root, UserID another user: refused with status 71 before making the socket" dropped

# --- E: root without UserID ---------------------------------------------------------
conf e
check "E: root without UserID starts" start e
check "E: ... and logs a warning" grep -q "warning: running as root: set UserID" "$tmp/e.log"

tap_end
