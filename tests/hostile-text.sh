#!/bin/sh
# hostile-text.sh - hostile bounces that once made plainbounce slow or
# let bounce text into a header: each must be handled within a few
# seconds (linear work; 3 s each), add no header line of its own making, and keep
# the X-Plainbounce line short.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
. "$srcdir/tests/explain-env.sh"
"$python" - "$explain" "$tmp" <<'PY'
import subprocess, sys, time
explain, tmp = sys.argv[1], sys.argv[2]
HEAD = ("From: MAILER-DAEMON@mx.example.net\nTo: alice@example.com\n"
        "Subject: Mail delivery failed\n")
def dsn(first_part, rcpts):
    body = "".join("Final-Recipient: rfc822; %s\nAction: failed\nStatus: %s\n\n"
                   % (a, s) for a, s in rcpts)
    return (HEAD + "MIME-Version: 1.0\nContent-Type: multipart/report; "
            "report-type=delivery-status; boundary=B\n\n--B\n" + first_part +
            "--B\nContent-Type: message/delivery-status\n\n"
            "Reporting-MTA: dns; mx.example.net\n\n" + body + "--B--\n")
cases = {
    # thousands of listed recipients and a long notice without errors
    "listed": HEAD + "X-Failed-Recipients: " +
        ", ".join("u%d@example.org" % i for i in range(3000)) + "\n\n" +
        "nothing to see on this line\n" * 40000,
    # one endless word in X-Failed-Recipients
    "listed-run": HEAD + "X-Failed-Recipients: " + "a" * 200000 + "\n\n"
        "A message that you sent could not be delivered.\n",
    # tens of thousands of address lines in a notice
    "address-lines": HEAD + "\n" + "".join(
        "u%d@example.org: 550 5.1.1 no such user\n" % (i % 10000)
        for i in range(200000)),
    # a charset that decodes to CR LF (RFC 2231) in the part to rewrite
    "charset-crlf": dsn("Content-Type: multipart/alternative; boundary=A\n\n"
        "--A\nContent-Type: text/plain\n\nDelivery failed\n"
        "--A\nContent-Type: text/html; "
        "charset*=us-ascii''x%0D%0AX-Evil:%20yes\n"
        "Content-Transfer-Encoding: 7bit\n\n<html><body>D\xe9livery failed"
        "</body></html>\n--A--\n",
        [("bob@example.org", "5.1.1")]),
    # reply codes that each look as if a status followed them
    "reply-codes": dsn("Content-Type: text/plain\n\nfailed\n",
        [("u%d@example.org\nDiagnostic-Code: smtp; %s" % (i, "550 5. " * 570),
          "5.0.0") for i in range(1000)]),
    # a Sendmail transcript naming one address again and again
    "verdicts": HEAD + "\n... while talking to mx.example.org.:\n"
        ">>> RCPT To:<bob@example.org>\n<<< " + "550 5. " * 140 + "\n" +
        "<bob@example.org>... x\n" * 300000,
    # hundreds of distinct status codes for the marker
    "many-statuses": dsn("Content-Type: text/plain\n\nfailed\n",
        [("u%d@example.org" % i, "5.%d.%d" % (i // 100 % 8, i % 100))
         for i in range(400)]),
}
bad = 0
for name, text in cases.items():
    path = "%s/%s.eml" % (tmp, name)
    open(path, "w", encoding="latin-1").write(text)
    t0 = time.monotonic()
    out = subprocess.run([explain, path], capture_output=True)
    secs = time.monotonic() - t0
    head = out.stdout.split(b"\n\n", 1)[0]
    problems = []
    if out.returncode != 0:
        problems.append("exit %d" % out.returncode)
    if secs > 3:
        problems.append("%.1f s" % secs)
    if b"\nX-Evil" in out.stdout or b"\nx-evil" in out.stdout.lower():
        problems.append("a header line from the bounce")
    for line in head.split(b"\n"):
        if line.startswith(b"X-Plainbounce:") and len(line) > 998:
            problems.append("X-Plainbounce line of %d bytes" % len(line))
    print("%s %s: %.2f s" % ("FAIL" if problems else "ok", name, secs),
          ", ".join(problems))
    bad += bool(problems)
sys.exit(1 if bad else 0)
PY
