#!/bin/sh
# big-bounce.sh - a bounce that returns a 50 MB original is analysed and
# rewritten within fixed bounds: time and peak memory grow with the
# input (the returned original is never scanned, only copied), and the
# result is still the explained bounce.  Bounds: 60 s and 12 times the
# input size plus 64 MB of resident memory (both generous, so that the
# sanitizer build passes too).
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
. "$srcdir/tests/explain-env.sh"
"$python" - "$explain" "$tmp" <<'PY'
import base64, os, resource, subprocess, sys, time
explain, tmp = sys.argv[1], sys.argv[2]
head = open(os.path.join(os.environ.get("srcdir", "."),
            "tests/corpus/postfix/userunknown.eml"), "rb").read()
# the returned original: a mail with a 50 MB attachment
att = base64.encodebytes(os.urandom(37 * 1024 * 1024))
orig = (b"From: alice@example.com\nTo: bob.smith@example.org\n"
        b"Subject: big\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"inner\"\n\n"
        b"--inner\nContent-Type: text/plain\n\nsee attached\n"
        b"--inner\nContent-Type: application/octet-stream\n"
        b"Content-Transfer-Encoding: base64\n\n" + att + b"--inner--\n")
# put it in place of the small original of the sample bounce
cut = head.index(b"Content-Type: message/rfc822")
end = head.index(b"\n\n", cut) + 2
tail = head[head.rindex(b"\n--"):]
msg = head[:end] + orig + tail
path = os.path.join(tmp, "big.eml")
open(path, "wb").write(msg)
size = len(msg)
t0 = time.monotonic()
for args in (["--json"], []):
    out = subprocess.run([explain] + args + [path], capture_output=True)
    if out.returncode != 0:
        sys.exit("plainbounce-explain %s failed: %s" % (args, out.stderr[:200]))
    if args:
        if b'"bounce": true' not in out.stdout or b"bob.smith@example.org" not in out.stdout:
            sys.exit("not analysed as the bounce it is: %s" % out.stdout[:300])
    elif b"X-Plainbounce:" not in out.stdout or len(out.stdout) < size:
        sys.exit("not rewritten")
secs = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print("input %.1f MB: %.1f s for two runs, peak RSS %.1f MB"
      % (size / 2**20, secs, rss / 2**20))
if secs > 60:
    sys.exit("too slow")
if rss > 12 * size + 64 * 2**20:
    sys.exit("too much memory")
PY
