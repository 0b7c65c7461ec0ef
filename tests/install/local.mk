# tests/install: what operators install (issue 6): the sample
# configuration and the manual against the daemon's key table, the
# manual pages through mandoc, the systemd unit's exposure level, and
# "make install" (etc/local.mk, man/local.mk).
TESTS += tests/install/sample-config.sh tests/install/man-lint.sh \
	tests/install/systemd-security.sh tests/install/make-install.sh
EXTRA_DIST += tests/install/sample-config.sh tests/install/man-lint.sh \
	tests/install/systemd-security.sh tests/install/make-install.sh
