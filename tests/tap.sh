# tap.sh - sourced by the shell tests: a private temporary directory,
# removed at exit, and one "ok N - NAME" / "not ok N - NAME" line per
# check.
#
#   tap_init PREFIX   $tmp = a new /tmp/PREFIX.XXXXXX (mode 0755, so that
#                     daemons that drop to another user can reach it;
#                     unix socket paths are short there).  At exit:
#                     on_exit (if the test defines it), SIGTERM to each
#                     process in $pids, then $tmp is removed (kept, and
#                     named, with PB_KEEP=1)
#   ok NAME, not_ok NAME, check NAME COMMAND...
#                     a result; check runs COMMAND with its output in
#                     $tmp/out, shown (30 lines) when it fails
#   tap_end           the plan line; exit 1 when a check failed
tap_init() {
	tmp=$(mktemp -d "/tmp/$1.XXXXXX") || exit 99
	chmod 755 "$tmp"
	pids=
	n=0 failed=0
	trap tap_cleanup EXIT INT TERM
}
tap_cleanup() {
	command -v on_exit >/dev/null 2>&1 && on_exit
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	if [ -n "${PB_KEEP:-}" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {
	name=$1; shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else
		not_ok "$name"; sed 's/^/#   /' "$tmp/out" | head -30; fi
}
tap_end() {
	echo "1..$n"
	[ $failed -eq 0 ] || { echo "$failed of $n failed"; exit 1; }
}
