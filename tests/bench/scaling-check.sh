#!/bin/sh
# scaling-check.sh - make check: the cost per bounce grows linearly with
# its size, and the analysis never reads the returned original
# (tests/bench/scaling.sh --check).
exec "${srcdir:-.}/tests/bench/scaling.sh" --check
