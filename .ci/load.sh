#!/bin/sh
# .ci/load.sh - the load test at full size (doc/reliability.md, "Load"):
# 100,000 messages over 64 connections against the daemon of build/.
# Run by .ci/run after the first build; about a minute on 2 cores.
set -eu
cd "$(dirname "$0")/../build"
make check-load
