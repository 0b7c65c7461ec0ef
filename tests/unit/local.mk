# Unit tests (Check): one program per module, each with its own suite
# (STYLE.md section 9).  Included from tests/local.mk.
if HAVE_CHECK
check_PROGRAMS += \
	tests/unit/check_util \
	tests/unit/check_dsn_parse \
	tests/unit/check_classify \
	tests/unit/check_catalog \
	tests/unit/check_explain \
	tests/unit/check_process \
	tests/unit/check_header
TESTS += \
	tests/unit/check_util \
	tests/unit/check_dsn_parse \
	tests/unit/check_classify \
	tests/unit/check_catalog \
	tests/unit/check_explain \
	tests/unit/check_process \
	tests/unit/check_header

tests_unit_check_util_SOURCES = tests/unit/check_util.c
tests_unit_check_util_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_util_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

tests_unit_check_dsn_parse_SOURCES = tests/unit/check_dsn_parse.c
tests_unit_check_dsn_parse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_dsn_parse_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

tests_unit_check_classify_SOURCES = tests/unit/check_classify.c
tests_unit_check_classify_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_classify_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

tests_unit_check_catalog_SOURCES = tests/unit/check_catalog.c
tests_unit_check_catalog_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_catalog_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

tests_unit_check_explain_SOURCES = tests/unit/check_explain.c
tests_unit_check_explain_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_explain_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

tests_unit_check_process_SOURCES = tests/unit/check_process.c
tests_unit_check_process_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_process_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

# plainbounce.h must compile alone as strict C11
tests_unit_check_header_SOURCES = tests/unit/check_header.c
tests_unit_check_header_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS) \
	-std=c11 -pedantic -Werror
tests_unit_check_header_LDADD = lib/libplainbounce.la $(CHECK_LIBS)
endif

# dsn_detect, dsn_text and rewrite suites
if HAVE_CHECK
check_PROGRAMS += \
	tests/unit/check_dsn_detect \
	tests/unit/check_dsn_text \
	tests/unit/check_rewrite
TESTS += \
	tests/unit/check_dsn_detect \
	tests/unit/check_dsn_text \
	tests/unit/check_rewrite

tests_unit_check_dsn_detect_SOURCES = tests/unit/check_dsn_detect.c
tests_unit_check_dsn_detect_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_dsn_detect_LDADD = lib/libplainbounce.la $(CHECK_LIBS) $(GMIME_LIBS)

tests_unit_check_dsn_text_SOURCES = tests/unit/check_dsn_text.c
tests_unit_check_dsn_text_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_dsn_text_LDADD = lib/libplainbounce.la $(CHECK_LIBS)

tests_unit_check_rewrite_SOURCES = tests/unit/check_rewrite.c
tests_unit_check_rewrite_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_rewrite_LDADD = lib/libplainbounce.la $(CHECK_LIBS)
endif

# typo hints
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_typo
TESTS += tests/unit/check_typo
tests_unit_check_typo_SOURCES = tests/unit/check_typo.c
tests_unit_check_typo_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_typo_LDADD = lib/libplainbounce.la $(CHECK_LIBS)
endif

# backscatter
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_backscatter
TESTS += tests/unit/check_backscatter
tests_unit_check_backscatter_SOURCES = tests/unit/check_backscatter.c
tests_unit_check_backscatter_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMIME_CFLAGS)
tests_unit_check_backscatter_LDADD = lib/libplainbounce.la $(CHECK_LIBS)
endif
