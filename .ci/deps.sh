#!/bin/sh
# deps.sh - install what building and testing plainbounce needs on
# Debian 12 (as root; a no-op when everything is there).
set -e
pkgs="build-essential autoconf automake libtool pkg-config libgmime-3.0-dev
check libmilter-dev miltertest python3"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
