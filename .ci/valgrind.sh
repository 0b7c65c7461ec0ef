#!/bin/sh
# .ci/valgrind.sh - memcheck over the whole corpus (tests/valgrind.sh)
# with the plain build CI made first (build/; VALGRIND_BUILD to change).
set -eu
cd "$(dirname "$0")/.."
bdir=${VALGRIND_BUILD:-build}
mkdir -p "$bdir" && cd "$bdir"
[ -f Makefile ] || ../configure >/dev/null
make -j2 check-valgrind
