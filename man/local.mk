# man/: the manual pages (mdoc), with the installation paths put in at
# make time by $(pb_subst) (etc/local.mk).
pb_man_in = man/plainbounce.8.in man/plainbounce.conf.5.in \
	man/plainbounce-explain.1.in
man_MANS = man/plainbounce.conf.5 man/plainbounce-explain.1
if HAVE_MILTER
man_MANS += man/plainbounce.8
endif
EXTRA_DIST += $(pb_man_in)
CLEANFILES += man/plainbounce.8 man/plainbounce.conf.5 \
	man/plainbounce-explain.1

man/plainbounce.8: man/plainbounce.8.in Makefile
	$(pb_gen)
man/plainbounce.conf.5: man/plainbounce.conf.5.in Makefile
	$(pb_gen)
man/plainbounce-explain.1: man/plainbounce-explain.1.in Makefile
	$(pb_gen)
