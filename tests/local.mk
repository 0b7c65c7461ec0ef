# tests: unit suites (Check), CLI golden files, re-parse and corpus tests
include tests/unit/local.mk

check_PROGRAMS += tests/tools/reparse-gmime
tests_tools_reparse_gmime_SOURCES = tests/tools/reparse-gmime.c
tests_tools_reparse_gmime_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
tests_tools_reparse_gmime_LDADD = $(GMIME_LIBS)

TESTS += tests/golden.sh tests/reparse.sh tests/sisimai-score.sh \
	tests/big-bounce.sh tests/cli-config.sh tests/hostile-text.sh
AM_TESTS_ENVIRONMENT = srcdir='$(srcdir)' builddir='$(builddir)' \
	PYTHON3='$(PYTHON3)'; export srcdir builddir PYTHON3;
EXTRA_DIST += tests/golden.sh tests/reparse.sh tests/sisimai-score.sh \
	tests/big-bounce.sh tests/cli-config.sh tests/hostile-text.sh \
	tests/explain-env.sh \
	tests/reparse.py tests/tools/score-subset.py tests/corpus \
	tests/tools/differences.py

# Regenerate the golden files after an intended change; review the diff.
update-golden: cli/plainbounce-explain
	srcdir='$(srcdir)' builddir='$(builddir)' $(srcdir)/tests/golden.sh --update

# The corpus figures alone, with the first disagreements listed.
corpus-score: cli/plainbounce-explain
	PB_SHOW=20 srcdir='$(srcdir)' builddir='$(builddir)' PYTHON3='$(PYTHON3)' \
	    $(srcdir)/tests/sisimai-score.sh
.PHONY: update-golden corpus-score
include tests/milter/local.mk
include tests/fuzz/local.mk
include tests/reliability/local.mk

# The catalog (issue 5): rendered line widths in every language, the
# reading grade of the English entries, the gallery and the coverage of
# every code.
check_PROGRAMS += tests/tools/pb-gallery
tests_tools_pb_gallery_SOURCES = tests/tools/pb-gallery.c
tests_tools_pb_gallery_LDADD = lib/libplainbounce.la
TESTS += tests/catalog-lines.sh tests/fk-grade.sh
EXTRA_DIST += tests/catalog-lines.sh tests/fk-grade.sh \
	tests/catalog-coverage.sh tests/tools/fk-grade.py \
	tests/tools/fk-allow.txt doc/examples

# Every seed reply code, IANA enhanced code and vendor rule has its own
# entry in every language (tests/catalog-coverage.sh).
TESTS += tests/catalog-coverage.sh
catalog-coverage: cli/plainbounce-explain
	srcdir='$(srcdir)' builddir='$(builddir)' \
	    $(srcdir)/tests/catalog-coverage.sh

# The gallery: every reason in every language, as a reader sees it.
# Written to doc/examples/ in the build tree and copied to the source
# tree's doc/examples/ (committed for reviewers; review the diff).
gallery: tests/tools/pb-gallery
	rm -rf doc/examples.new && $(MKDIR_P) doc/examples.new && \
	tests/tools/pb-gallery $(srcdir)/etc/catalog doc/examples.new && \
	for d in doc/examples.new/*/; do \
	  l=$$(basename "$$d"); \
	  rm -rf "doc/examples/$$l" && $(MKDIR_P) doc/examples && \
	  cp -R "$$d" "doc/examples/$$l" || exit 1; \
	  if [ "$(srcdir)" != . ]; then \
	    rm -rf "$(srcdir)/doc/examples/$$l" && \
	    cp -R "$$d" "$(srcdir)/doc/examples/$$l" || exit 1; \
	  fi; \
	done && rm -rf doc/examples.new
.PHONY: catalog-coverage gallery

# Every remaining disagreement with Sisimai, one line each, with its
# reason: tests/corpus/DIFFERENCES.md (review the diff, then commit it).
differences: cli/plainbounce-explain
	@corpus=$(srcdir)/../shared/corpus/sisimai; \
	test -d $$corpus/maildir || { echo "no corpus at $$corpus"; exit 1; }; \
	explain=`cd $(builddir) && pwd`/cli/plainbounce-explain; \
	out=`mktemp`; \
	(cd $$corpus && $$explain --json maildir/*/*.eml \
	    to-be-debugged-because/*/*.eml) >$$out && \
	$(PYTHON3) $(srcdir)/tests/tools/differences.py $$corpus $$out \
	    >$(srcdir)/tests/corpus/DIFFERENCES.md; \
	rc=$$?; rm -f $$out; exit $$rc
.PHONY: differences
