# tests: unit suites (Check), CLI golden files, re-parse and corpus tests
include tests/unit/local.mk

check_PROGRAMS += tests/tools/reparse-gmime
tests_tools_reparse_gmime_SOURCES = tests/tools/reparse-gmime.c
tests_tools_reparse_gmime_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
tests_tools_reparse_gmime_LDADD = $(GMIME_LIBS)

TESTS += tests/golden.sh tests/reparse.sh tests/sisimai-score.sh
AM_TESTS_ENVIRONMENT = srcdir='$(srcdir)' builddir='$(builddir)' \
	PYTHON3='$(PYTHON3)'; export srcdir builddir PYTHON3;
EXTRA_DIST += tests/golden.sh tests/reparse.sh tests/sisimai-score.sh \
	tests/reparse.py tests/tools/score-subset.py tests/corpus

# Regenerate the golden files after an intended change; review the diff.
update-golden: cli/plainbounce-explain
	srcdir='$(srcdir)' builddir='$(builddir)' $(srcdir)/tests/golden.sh --update

# The corpus figures alone, with the first disagreements listed.
corpus-score: cli/plainbounce-explain
	PB_SHOW=20 srcdir='$(srcdir)' builddir='$(builddir)' PYTHON3='$(PYTHON3)' \
	    $(srcdir)/tests/sisimai-score.sh
.PHONY: update-golden corpus-score
