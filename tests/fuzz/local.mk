# tests/fuzz: one libFuzzer target per stage that reads outside input
# (STYLE.md section 9).  With --enable-fuzzer (clang) each is built as
# tests/fuzz/fuzz_<stage> for libFuzzer (.ci/fuzz.sh runs them); in
# every build each is also linked with replay.c as
# tests/fuzz/replay_<stage>, which `make check` runs over the seeds, the
# regressions and ../shared/corpus (tests/fuzz/replay.sh).
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter -I$(top_srcdir)/tests/fuzz
FUZZ_LIB = lib/libplainbounce.la
FUZZ_EXPLAIN = tests/fuzz/fuzz_explain.c tests/fuzz/fuzz_explain.h \
	tests/fuzz/fuzz.h

check_PROGRAMS += tests/fuzz/replay_pipeline tests/fuzz/replay_dsn_fields \
	tests/fuzz/replay_text tests/fuzz/replay_catalog \
	tests/fuzz/replay_config
tests_fuzz_replay_pipeline_SOURCES = tests/fuzz/fuzz_pipeline.c \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_replay_pipeline_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_pipeline_LDADD = $(FUZZ_LIB)
tests_fuzz_replay_dsn_fields_SOURCES = tests/fuzz/fuzz_dsn_fields.c \
	tests/fuzz/replay.c $(FUZZ_EXPLAIN)
tests_fuzz_replay_dsn_fields_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_dsn_fields_LDADD = $(FUZZ_LIB)
tests_fuzz_replay_text_SOURCES = tests/fuzz/fuzz_text.c \
	tests/fuzz/replay.c $(FUZZ_EXPLAIN)
tests_fuzz_replay_text_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_text_LDADD = $(FUZZ_LIB)
tests_fuzz_replay_catalog_SOURCES = tests/fuzz/fuzz_catalog.c \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_replay_catalog_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_catalog_LDADD = $(FUZZ_LIB)
tests_fuzz_replay_config_SOURCES = tests/fuzz/fuzz_config.c \
	tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_replay_config_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_config_LDADD = milter/libmfconf.la $(FUZZ_LIB)

if ENABLE_FUZZER
noinst_PROGRAMS = tests/fuzz/fuzz_pipeline tests/fuzz/fuzz_dsn_fields \
	tests/fuzz/fuzz_text tests/fuzz/fuzz_catalog tests/fuzz/fuzz_config
tests_fuzz_fuzz_pipeline_SOURCES = tests/fuzz/fuzz_pipeline.c \
	tests/fuzz/fuzz.h
tests_fuzz_fuzz_pipeline_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_pipeline_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_pipeline_LDADD = $(FUZZ_LIB)
tests_fuzz_fuzz_dsn_fields_SOURCES = tests/fuzz/fuzz_dsn_fields.c \
	$(FUZZ_EXPLAIN)
tests_fuzz_fuzz_dsn_fields_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_dsn_fields_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_dsn_fields_LDADD = $(FUZZ_LIB)
tests_fuzz_fuzz_text_SOURCES = tests/fuzz/fuzz_text.c $(FUZZ_EXPLAIN)
tests_fuzz_fuzz_text_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_text_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_text_LDADD = $(FUZZ_LIB)
tests_fuzz_fuzz_catalog_SOURCES = tests/fuzz/fuzz_catalog.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_catalog_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_catalog_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_catalog_LDADD = $(FUZZ_LIB)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_config_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_config_LDADD = milter/libmfconf.la $(FUZZ_LIB)
endif

TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/seeds tests/fuzz/regressions

# memcheck over the corpus, the fuzz replays and the unit tests
# (tests/valgrind.sh; .ci/valgrind.sh runs it in CI)
EXTRA_DIST += tests/valgrind.sh tests/valgrind.supp tests/hostile.sh \
	tests/hostile/cases.py tests/hostile/check.py
check-valgrind: cli/plainbounce-explain $(check_PROGRAMS)
	srcdir='$(srcdir)' builddir='$(builddir)' $(srcdir)/tests/valgrind.sh
.PHONY: check-valgrind

# the hostile input set (issue 7): tests/hostile.sh
TESTS += tests/hostile.sh
