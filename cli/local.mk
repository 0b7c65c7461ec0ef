bin_PROGRAMS += cli/plainbounce-explain
cli_plainbounce_explain_SOURCES = cli/plainbounce-explain.c cli/json.c \
	cli/json.h
cli_plainbounce_explain_LDADD = milter/libmfconf.la lib/libplainbounce.la
cli_plainbounce_explain_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter \
	-DPB_CATALOG_DIR='"$(pkgdatadir)/catalog"'
