#!/bin/sh
# .ci/fuzz.sh - build the libFuzzer targets (clang, ASan+UBSan) in
# build-fuzz/ and run each for a bounded time on its seeds; fail on any
# finding (crash, sanitizer report, leak, timeout, memory blow-up, broken
# property).  Prints the executions of every target.
#
# Environment: FUZZ_BUILD build directory (default build-fuzz),
# FUZZ_SECONDS per target (default 50), FUZZ_SEED (default 1; 0 for a
# random one), FUZZ_JOBS targets
# run at once (default 1), FUZZ_TARGETS (default: all five).
# Findings are kept in build-fuzz/findings/; add each to
# tests/fuzz/regressions/<target>/ once fixed.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
secs=${FUZZ_SECONDS:-50}
# a fixed seed makes CI's short run the same walk every time (a finding
# there can be replayed); fuzz for real with FUZZ_SEED=0 (random)
seed=${FUZZ_SEED:-1}
jobs=${FUZZ_JOBS:-1}
targets=${FUZZ_TARGETS:-"pipeline dsn_fields text catalog config"}
bdir=${FUZZ_BUILD:-build-fuzz}
mkdir -p "$bdir" && cd "$bdir"
[ -f Makefile ] || CC=clang ../configure --enable-fuzzer >/dev/null
for t in $targets; do
	make -j2 "tests/fuzz/fuzz_$t" >/dev/null
done
mkdir -p findings
seeds() { # seeds TARGET: its seed directories
	fz=$top/tests/fuzz
	case $1 in
	pipeline) echo "$top/tests/corpus $fz/seeds/pipeline" ;;
	catalog) echo "$fz/seeds/catalog $top/etc/catalog" ;;
	*) echo "$fz/seeds/$1" ;;
	esac
	[ -d "$fz/regressions/$1" ] && echo "$fz/regressions/$1"
	return 0
}
run() { # run TARGET: fuzz it; the log in findings/TARGET.log
	t=$1
	rm -rf "corpus-$t" && mkdir "corpus-$t"
	# shellcheck disable=SC2046
	ASAN_OPTIONS=detect_leaks=1 \
	    "./tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
	    -seed="$seed" \
	    -rss_limit_mb=2048 -max_len=131072 -print_final_stats=1 \
	    -artifact_prefix="findings/$t-" "corpus-$t" $(seeds "$t") \
	    >"findings/$t.log" 2>&1
}
fail=0 pids=
for t in $targets; do
	run "$t" &
	pids="$pids $!"
	set -- $pids
	if [ $# -ge "$jobs" ]; then
		wait "$1" || fail=1
		shift; pids="$*"
	fi
done
for p in $pids; do wait "$p" || fail=1; done
for t in $targets; do
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "findings/$t.log")
	echo "fuzz_$t: ${runs:-?} executions in ${secs} s," \
	    "corpus $(ls "corpus-$t" | wc -l) inputs"
	if grep -q -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|property failed|Test unit written' \
	    "findings/$t.log"; then
		echo "FINDING in fuzz_$t:"
		grep -E -A20 '^==[0-9]+==ERROR|runtime error|property failed' \
		    "findings/$t.log" | head -40
		fail=1
	fi
done
exit $fail
