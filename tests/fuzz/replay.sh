#!/bin/sh
# replay.sh - run every fuzz target's entry point once over its seeds,
# the inputs that once failed (tests/fuzz/regressions/<target>/) and,
# when it is there, ../shared/corpus, through the replay driver: so the
# targets never rot, and no old finding comes back.  A crash, a
# sanitizer report or a broken property fails the test.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
fz=$srcdir/tests/fuzz
shared=$srcdir/../shared/corpus/sisimai
fail=0
run() { # run TARGET PATH...: the paths that exist
	t=$1; shift
	set -- "$@" "$fz/regressions/$t"
	paths=
	for p in "$@"; do
		[ -e "$p" ] && paths="$paths $p"
	done
	# shellcheck disable=SC2086
	if ! ${PB_REPLAY_WRAPPER:-} "$builddir/tests/fuzz/replay_$t" $paths; then
		echo "FAIL replay_$t"
		fail=1
	fi
}
run pipeline "$srcdir/tests/corpus" "$fz/seeds/pipeline" "$shared/maildir" \
    "$shared/to-be-debugged-because"
run dsn_fields "$fz/seeds/dsn_fields"
run text "$fz/seeds/text" "$shared/maildir"
run catalog "$fz/seeds/catalog" "$srcdir/etc/catalog"
run config "$fz/seeds/config"
exit $fail
