#!/bin/sh
# deps.sh - install what building and testing plainbounce needs on
# Debian 12 (as root; a no-op when everything is there).
#
# Postfix is installed for the end-to-end tests only: with debconf's
# "No configuration" it gets no main.cf and the system instance stays
# stopped (a policy-rc.d keeps it from starting during the install), so
# nothing listens on port 25.  The tests run their own private Postfix
# instances on other loopback ports.  Sendmail conflicts with Postfix as
# a package; tests/sendmail/ fetches it with "apt-get download" and
# unpacks it under the build tree instead.
set -e
pkgs="build-essential autoconf automake libtool pkg-config libgmime-3.0-dev
check libmilter-dev miltertest python3 postfix m4 iproute2"
pkgs="$pkgs valgrind" # tests/bench/scaling-check.sh (instruction counts)
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	echo "postfix postfix/main_mailer_type select No configuration" |
		debconf-set-selections
	rcd=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		rcd=yes
	fi
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ [ -n "$rcd" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
	[ -n "$rcd" ] && rm -f /usr/sbin/policy-rc.d
fi
exit 0
