# libplainbounce: the whole pipeline, as a convenience library
noinst_LTLIBRARIES += lib/libplainbounce.la
lib_libplainbounce_la_SOURCES = \
	lib/plainbounce.h lib/pb_int.h \
	lib/util.c lib/names.c lib/names.h \
	lib/msg_parse.c lib/msg_parse.h \
	lib/dsn_detect.c lib/dsn_detect.h \
	lib/dsn_parse.c lib/dsn_parse.h \
	lib/dsn_text.c lib/dsn_text.h \
	lib/dsn_ses.c lib/dsn_ses.h \
	lib/smtp_command.c lib/smtp_command.h \
	lib/backscatter.c lib/backscatter.h \
	lib/addr_index.c lib/addr_index.h \
	lib/classify.c lib/classify.h lib/classify_table.c \
	lib/vendor_code.c lib/vendor_code.h \
	lib/catalog.c lib/catalog.h lib/catalog_set.c \
	lib/typo.c lib/typo.h \
	lib/explain.c lib/explain.h \
	lib/rewrite.c lib/rewrite.h \
	lib/render.c lib/process.c
nodist_lib_libplainbounce_la_SOURCES = lib/catalog_builtin.c
lib_libplainbounce_la_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
lib_libplainbounce_la_LIBADD = $(GMIME_LIBS) -lpthread

# The English catalog is compiled in as the fallback: each line of
# etc/catalog/en becomes one C string literal.
BUILT_SOURCES += lib/catalog_builtin.c
CLEANFILES += lib/catalog_builtin.c
lib/catalog_builtin.c: $(top_srcdir)/etc/catalog/en lib/local.mk
	$(AM_V_GEN)$(MKDIR_P) lib && { \
	  echo '/* generated from etc/catalog/en - do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo '#include "catalog.h"'; \
	  echo 'const char pb_catalog_builtin_en[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' \
	    $(top_srcdir)/etc/catalog/en; \
	  echo '	"";'; \
	  echo 'const size_t pb_catalog_builtin_en_len ='; \
	  echo '    sizeof(pb_catalog_builtin_en) - 1;'; \
	} > $@.tmp && mv $@.tmp $@
