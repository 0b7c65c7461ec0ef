# tests/milter: the real plainbounce daemon on a unix socket, driven by
# miltertest; tests/postfix and tests/sendmail: real MTAs on loopback.
if HAVE_MILTER
check_PROGRAMS += tests/milter/pb-expect tests/milter/plainbounce-test
tests_milter_pb_expect_SOURCES = tests/milter/pb-expect.c
tests_milter_pb_expect_LDADD = lib/libplainbounce.la

# The daemon once more with the test-only fault hook (MF_TESTING).
tests_milter_plainbounce_test_SOURCES = $(MF_SOURCES)
tests_milter_plainbounce_test_CPPFLAGS = $(MF_CPPFLAGS) -DMF_TESTING
tests_milter_plainbounce_test_LDADD = $(MF_LDADD)

TESTS += tests/milter/run.sh tests/postfix/run.sh tests/sendmail/run.sh
endif
EXTRA_DIST += tests/milter/run.sh tests/milter/message.lua \
	tests/milter/msgs tests/postfix/run.sh tests/postfix/fakesmtp.py \
	tests/postfix/mail.py tests/sendmail/run.sh \
	tests/sendmail/sendmail-userunknown.eml

# tests/sendmail/run.sh unpacks Sendmail under the build tree
clean-local: clean-local-sendmail
clean-local-sendmail:
	-rm -rf tests/sendmail/root tests/sendmail/debs tests/sendmail/hosts \
	    tests/sendmail/download.log tests/sendmail/t.*
.PHONY: clean-local-sendmail
