# tests/reliability: load, faults and privileges of the daemon (issue 7;
# doc/reliability.md has the figures and how to reproduce them).  The
# faults test lives with the other Postfix test, whose set-up it shares
# (tests/postfix/setup.sh).
TESTS += tests/reliability/load.sh tests/reliability/privileges.sh
if HAVE_MILTER
TESTS += tests/postfix/faults.sh
endif
EXTRA_DIST += tests/reliability/load.sh tests/reliability/loadcheck.py \
	tests/reliability/privileges.sh tests/postfix/faults.sh \
	tests/postfix/faults.py tests/postfix/setup.sh tests/tap.sh \
	doc/reliability.md

# The load test at full size: 100,000 messages over 64 connections
# (make check runs 10,000).  .ci/load.sh runs it in CI.
# Status 77 (no daemon, no ../shared/bench) is a skip here too.
check-load: all
	PB_LOAD_MESSAGES=100000 srcdir='$(srcdir)' builddir='$(builddir)' \
	    PYTHON3='$(PYTHON3)' $(SHELL) $(srcdir)/tests/reliability/load.sh; \
	rc=$$?; test $$rc -ne 77 || { echo "SKIP: load test"; rc=0; }; exit $$rc
.PHONY: check-load
