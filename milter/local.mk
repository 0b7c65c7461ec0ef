# milter/: the plainbounce daemon (DESIGN.md section 6).
# config.c carries no libmilter, so it sits in its own convenience
# library that plainbounce-explain can link too.
noinst_LTLIBRARIES += milter/libmfconf.la
milter_libmfconf_la_SOURCES = milter/config.c milter/mf_config.h milter/mf.h

MF_SOURCES = milter/plainbounce.c milter/filter.c milter/filter.h \
	milter/live.c milter/live.h milter/log.c milter/log.h \
	milter/stats.c milter/stats.h milter/mf.h
MF_LDADD = milter/libmfconf.la lib/libplainbounce.la $(MILTER_LIBS)
MF_CPPFLAGS = $(AM_CPPFLAGS) -DPB_CATALOG_DIR='"$(pkgdatadir)/catalog"' \
	-DMF_DEFAULT_CONFIG='"$(sysconfdir)/plainbounce/plainbounce.conf"'

if HAVE_MILTER
sbin_PROGRAMS += milter/plainbounce
milter_plainbounce_SOURCES = $(MF_SOURCES)
milter_plainbounce_LDADD = $(MF_LDADD)
milter_plainbounce_CPPFLAGS = $(MF_CPPFLAGS)
endif
EXTRA_DIST += $(MF_SOURCES)
