#!/bin/sh
# catalog-lines.sh - every plain-text line that the catalogs render is at
# most 76 characters (one word longer than that stands alone): the
# explanation of every reason, as failure and delay, and every entry, in
# every language file under etc/catalog (tests/tools/pb-gallery --check).
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
exec "$builddir/tests/tools/pb-gallery" --check "$srcdir/etc/catalog"
