#!/bin/sh
# valgrind.sh - memcheck over the whole corpus: plainbounce-explain on
# tests/corpus and ../shared/corpus (rewrite and --json, in batches),
# every fuzz target's replay of its seeds and regressions, and the Check
# unit tests in one process each (CK_FORK=no).  Any memcheck error or
# leak ("definitely" or "indirectly" lost) fails.  GMime and GLib keep
# one-time allocations for the life of the process ("still reachable");
# those are not reported.  Run by `make check-valgrind` (.ci/valgrind.sh).
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
command -v valgrind >/dev/null 2>&1 || { echo "no valgrind"; exit 77; }
vg="valgrind -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--suppressions=$srcdir/tests/valgrind.supp"
explain=$builddir/cli/plainbounce-explain
fail=0 runs=0
vrun() { # vrun COMMAND...: under memcheck, output discarded
	runs=$((runs + 1))
	# shellcheck disable=SC2086
	if ! G_SLICE=always-malloc $vg "$@" >/dev/null; then
		echo "FAIL (memcheck): $*" | cut -c1-200
		fail=1
	fi
}
list=$(mktemp) || exit 99
trap 'rm -f "$list"' EXIT
ls "$srcdir"/tests/corpus/*/*.eml >"$list"
shared=$srcdir/../shared/corpus/sisimai
[ -d "$shared/maildir" ] && ls "$shared"/maildir/*/*.eml \
    "$shared"/to-be-debugged-because/*/*.eml >>"$list" 2>/dev/null
n=$(wc -l <"$list")
# batches of 150 files per process: one GMime start-up each
split_dir=$(mktemp -d) || exit 99
trap 'rm -f "$list"; rm -rf "$split_dir"' EXIT
split -l 150 "$list" "$split_dir/b."
for b in "$split_dir"/b.*; do
	# shellcheck disable=SC2046
	vrun "$explain" $(cat "$b")
	# shellcheck disable=SC2046
	vrun "$explain" --json $(cat "$b")
done
PB_REPLAY_WRAPPER="$vg" srcdir=$srcdir builddir=$builddir \
    G_SLICE=always-malloc "$srcdir/tests/fuzz/replay.sh" >/dev/null ||
	{ echo "FAIL (memcheck): fuzz replay"; fail=1; }
for t in "$builddir"/tests/unit/check_*; do
	case $t in *.o | *.c | *.log | *.trs) continue ;; esac
	[ -x "$t" ] || continue
	CK_FORK=no vrun "$t"
done
echo "valgrind: $n messages, $runs memcheck runs plus the fuzz replays"
exit $fail
