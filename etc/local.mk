catalogdir = $(pkgdatadir)/catalog
dist_catalog_DATA = etc/catalog/en etc/catalog/de etc/catalog/fr \
	etc/catalog/es
EXTRA_DIST += etc/samples/bounce-userunknown.eml

# Installation for operators (issue 6): the sample configuration, the
# systemd unit, the MTA snippets and the operator's guide.  Paths are
# put into the unit (and the man pages, man/local.mk) at make time.
pb_subst = sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' -e 's|@docdir[@]|$(docdir)|g' \
	-e 's|@VERSION[@]|$(VERSION)|g'

# pb_gen: make the target from its .in file in the source tree
pb_gen = $(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(pb_subst) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@

etc/plainbounce.service: etc/plainbounce.service.in Makefile
	$(pb_gen)
noinst_DATA = etc/plainbounce.service
if HAVE_SYSTEMD
nodist_systemdsystemunit_DATA = etc/plainbounce.service
endif
CLEANFILES += etc/plainbounce.service
EXTRA_DIST += etc/plainbounce.service.in etc/plainbounce.conf
# make distcheck installs as a normal user, below its own prefix
AM_DISTCHECK_CONFIGURE_FLAGS = --with-systemdsystemunitdir=no

dist_doc_DATA = etc/postfix-main.cf.snippet etc/sendmail.mc.snippet \
	doc/operator.md

# The sample configuration: installed once, never over a file that is
# already there (an operator's); "make uninstall" removes it only while
# it is still the shipped one.
pbconfdir = $(sysconfdir)/plainbounce
install-data-local: install-pbconf
install-pbconf:
	$(MKDIR_P) '$(DESTDIR)$(pbconfdir)'
	@if test -f '$(DESTDIR)$(pbconfdir)/plainbounce.conf'; then \
	  echo "keeping $(DESTDIR)$(pbconfdir)/plainbounce.conf"; \
	else \
	  echo " $(INSTALL_DATA) etc/plainbounce.conf '$(DESTDIR)$(pbconfdir)'"; \
	  $(INSTALL_DATA) $(srcdir)/etc/plainbounce.conf \
	    '$(DESTDIR)$(pbconfdir)/plainbounce.conf'; \
	fi
uninstall-local: uninstall-pbconf
uninstall-pbconf:
	@f='$(DESTDIR)$(pbconfdir)/plainbounce.conf'; \
	if test -f "$$f" && cmp -s "$$f" $(srcdir)/etc/plainbounce.conf; then \
	  echo " rm -f $$f"; rm -f "$$f"; \
	  rmdir '$(DESTDIR)$(pbconfdir)' 2>/dev/null || :; \
	elif test -f "$$f"; then echo "keeping changed $$f"; fi
.PHONY: install-pbconf uninstall-pbconf
