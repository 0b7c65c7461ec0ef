# tests/reliability: load, faults and privileges of the daemon (issue 7;
# doc/reliability.md has the figures and how to reproduce them).
TESTS += tests/reliability/load.sh tests/reliability/privileges.sh
EXTRA_DIST += tests/reliability/load.sh tests/reliability/loadcheck.py \
	tests/reliability/privileges.sh

# The load test at full size: 100,000 messages over 64 connections
# (make check runs 10,000).  .ci/load.sh runs it in CI.
check-load: all
	PB_LOAD_MESSAGES=100000 srcdir='$(srcdir)' builddir='$(builddir)' \
	    PYTHON3='$(PYTHON3)' $(SHELL) $(srcdir)/tests/reliability/load.sh
.PHONY: check-load
