# Benchmarks (issue 8; doc/performance.md).  `make bench` measures the
# library against Sisimai, `make bench-scaling` the cost per bounce
# against its size.  Neither is part of make check, but make check
# builds the bench program and runs it once over tests/corpus
# (tests/bench/smoke.sh), and checks that the cost grows linearly up to
# a few MB (tests/bench/scaling.sh --check), so neither can rot.
check_PROGRAMS += tests/bench/bench-lib
tests_bench_bench_lib_SOURCES = tests/bench/bench-lib.c
tests_bench_bench_lib_LDADD = lib/libplainbounce.la
TESTS += tests/bench/smoke.sh tests/bench/scaling-check.sh
EXTRA_DIST += doc/performance.md tests/bench/smoke.sh tests/bench/bench-lib.sh \
	tests/bench/scaling.sh tests/bench/scaling-check.sh

bench: tests/bench/bench-lib
	srcdir='$(srcdir)' builddir='$(builddir)' PYTHON3='$(PYTHON3)' \
	    $(srcdir)/tests/bench/bench-lib.sh

bench-scaling: tests/bench/bench-lib
	srcdir='$(srcdir)' builddir='$(builddir)' PYTHON3='$(PYTHON3)' \
	    $(srcdir)/tests/bench/scaling.sh $(BENCH_SIZES)
.PHONY: bench bench-scaling

# The envelope-sender check runs for every ordinary message; its quick
# rejection is tested against fnmatch() semantics.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_bounce_sender
TESTS += tests/unit/check_bounce_sender
tests_unit_check_bounce_sender_SOURCES = tests/unit/check_bounce_sender.c
tests_unit_check_bounce_sender_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter
tests_unit_check_bounce_sender_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_bounce_sender_LDADD = milter/libmfconf.la \
	lib/libplainbounce.la $(CHECK_LIBS)
endif
