"""Hostile inputs for plainbounce (issue 7, item 2), made at test time.

cases() yields (name, what, bytes).  Every case is a bounce or looks
like one, so that the library goes as deep as it can; the injection
cases carry the marker strings that tests/hostile/check.py looks for.
The 50 MB bounce is tests/big-bounce.sh; here, linear() gives the same
structures at two sizes to compare their times.
"""

HEAD = ("From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
        "To: alice@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Date: Thu, 6 Mar 2025 16:20:08 +0000\n"
        "Message-ID: <hostile@mx.example.net>\n")

# What untrusted text tries to smuggle in: a header, the end of the
# SMTP DATA, a MIME boundary, markup and links.
EVIL_HDR = "X-Evil-Header: injected"
EVIL_BOUNDARY = "=_evil_boundary_="
EVIL_MARKUP = ('<script>alert(1)</script><img src=x onerror=alert(2)>'
               '<a href="https://evil.example/phish">click</a>'
               ' javascript:alert(3) http://evil.example/x '
               '<style>body{display:none}</style>')


def report(rcpts, notice="Your message could not be delivered.\n",
           boundary="B", extra_report="", mta="dns; mx.example.net",
           report_cte=None, text_head="Content-Type: text/plain; "
           "charset=us-ascii\n", head=HEAD):
    """A multipart/report bounce: notice, report with rcpts, original.

    rcpts: list of (address, status, diagnostic or None) or raw strings
    (a whole recipient block).
    """
    blocks = []
    for r in rcpts:
        if isinstance(r, str):
            blocks.append(r)
            continue
        addr, status, diag = r
        b = ("Final-Recipient: rfc822; %s\nAction: %s\nStatus: %s\n"
             % (addr, "delayed" if status.startswith("4") else "failed",
                status))
        if diag is not None:
            b += "Diagnostic-Code: smtp; %s\n" % diag
        blocks.append(b)
    rep = "Reporting-MTA: %s\n%s\n" % (mta, extra_report) + "\n".join(blocks)
    rh = "Content-Type: message/delivery-status\n"
    if report_cte:
        rh += "Content-Transfer-Encoding: %s\n" % report_cte
    return (head + "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"%s\"\n\n"
            "This is a MIME-encapsulated message.\n\n"
            "--%s\n%s\n%s\n"
            "--%s\n%s\n%s\n"
            "--%s\nContent-Type: text/rfc822-headers\n\n"
            "From: alice@example.com\nTo: bob@example.org\n"
            "Subject: hello\n\n"
            "--%s--\n" % (boundary, boundary, text_head, notice, boundary,
                          rh, rep, boundary, boundary))


ONE = [("bob@example.org", "5.1.1", "550 5.1.1 <bob@example.org>: "
        "Recipient address rejected: User unknown")]


def nested(depth):
    """depth multiparts inside one another around the report."""
    inner = report(ONE, head="")
    inner = inner[inner.index("Content-Type: multipart/report"):]
    for i in range(depth):
        inner = ("Content-Type: multipart/mixed; boundary=\"n%d\"\n\n"
                 "--n%d\n%s\n--n%d--\n" % (i, i, inner, i))
    return HEAD + "MIME-Version: 1.0\n" + inner


def s(text):
    """latin-1 bytes of text (all test text is 8-bit clean)."""
    return text.encode("latin-1")


def cases():
    """Yield (name, what, bytes) for every hostile case."""
    good = report(ONE)
    yield "truncated-mime", "cut in the middle of the report part", \
        s(good[:good.index("Status: 5.1.1") + 9])
    yield "truncated-header", "cut inside the header, no body", \
        s(HEAD + "Content-Type: multipart/report; bound")
    yield "missing-boundary-param", "multipart/report without boundary", \
        s(good.replace("\tboundary=\"B\"\n", ""))
    yield "missing-delimiters", "boundary named but never used", \
        s(good.replace("--B", "--X"))
    yield "missing-close", "no closing delimiter", \
        s(good.replace("--B--\n", ""))
    yield "duplicate-boundary", "nested multipart reusing its parent's " \
        "boundary", s(report(ONE, boundary="B", text_head=(
            "Content-Type: multipart/alternative; boundary=\"B\"\n\n--B\n"
            "Content-Type: text/plain\n")))
    yield "duplicate-parts", "the report part twice", \
        s(good.replace("--B\nContent-Type: text/rfc822-headers",
                       "--B\nContent-Type: message/delivery-status\n\n"
                       "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; "
                       "carol@example.org\nAction: failed\nStatus: 5.2.2\n\n"
                       "--B\nContent-Type: text/rfc822-headers"))
    yield "nesting-1000", "1,000 nested multiparts", s(nested(1000))
    yield "header-line-1mb", "a 1 MB Subject line", \
        s(good.replace("Subject: Undelivered Mail Returned to Sender",
                       "Subject: " + "x" * (1 << 20)))
    yield "header-folded-1mb", "a 1 MB header folded 20,000 times", \
        s(good.replace("Subject: Undelivered Mail Returned to Sender",
                       "Subject: " + "\n\t".join(["word" * 12] * 20000)))
    yield "nul-bytes", "NUL bytes in header, notice and report", \
        s(report([("bob\0@example.org", "5.1.1", "550 user\0unknown")],
                 notice="failed\0 to deliver\n",
                 head=HEAD.replace("Subject: ", "Subject: a\0b")))
    yield "bad-base64", "invalid base64 in notice and report", \
        s(report(ONE, report_cte="base64", text_head=(
            "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n"),
            notice="!!!!not*base64***\n====\nQUJD=RE=\n"))
    yield "bad-qp", "invalid quoted-printable", \
        s(report([("bob@example.org", "5.1.1", "550 =ZZ=\n=4")],
                 report_cte="quoted-printable", text_head=(
                     "Content-Type: text/plain\n"
                     "Content-Transfer-Encoding: quoted-printable\n"),
                 notice="=XX=\n=0D=0A" + EVIL_HDR + "=\n=3Cscript=3E=\n"))
    yield "charset-wrong", "latin-1 bytes labelled UTF-8", \
        s(report([("bob@example.org", "5.1.1", "550 Empf\xe4nger unbekannt")],
                 text_head="Content-Type: text/plain; charset=utf-8\n",
                 notice="Zustellung fehlgeschlagen: \xe4\xf6\xfc\xff\n"))
    yield "charset-unknown", "an unknown and a UTF-7 charset", \
        s(report(ONE, text_head="Content-Type: text/plain; "
                 "charset=x-no-such-charset\n", notice="Delivery failed "
                 "\xff\xfe\n").replace("Content-Type: text/rfc822-headers",
                                       "Content-Type: text/rfc822-headers; "
                                       "charset=utf-7"))
    yield "rfc2047-garbage", "broken encoded words in the header", \
        s(good.replace("Subject: Undelivered Mail Returned to Sender",
                       "Subject: =?utf-8?B?!!!?= =?x-bogus?Q?a_b?= "
                       "=?utf-8?Q?a=0D=0A" + EVIL_HDR.replace(" ", "_") +
                       "?= =?utf-8?q?unterminated =?=?==?utf-8?b?"
                       + "QUJD" * 5000))
    yield "rcpts-100000", "100,000 recipients in one report", \
        s(report([("u%d@example.org" % i, "5.1.1", None)
                  for i in range(100000)]))
    yield "diagnostic-1mb", "a 1 MB Diagnostic-Code", \
        s(report([("bob@example.org", "5.1.1",
                    "550 " + "user unknown " * 80000)]))
    yield "diagnostic-1mb-folded", "a 1 MB Diagnostic-Code folded", \
        s(report([("bob@example.org", "5.1.1",
                   "550-" + "\n 550-".join(["5.1.1 unknown"] * 70000))]))
    yield "cr-only", "CR-only line ends", s(good.replace("\n", "\r"))
    yield "mixed-eol", "LF, CRLF and CR mixed", s("".join(
        line + ("\r\n", "\n", "\r")[i % 3] if i > 8 else line + "\n"
        for i, line in enumerate(good.split("\n"))))
    yield "inject-crlf-address", "CR LF and a header in the address", \
        s(report(["Final-Recipient: rfc822; bob@example.org\r\n"
                  + EVIL_HDR + "\r\nAction: failed\nStatus: 5.1.1\n"
                  "Diagnostic-Code: smtp; 550 no\r\n\r\n.\r\n" + EVIL_HDR
                  + "\n"]))
    yield "inject-dot", "SMTP end of data in a diagnostic", \
        s(report([("bob@example.org", "5.1.1",
                   "550 bye\r\n.\r\nMAIL FROM:<x@evil.example>\r\n")]))
    yield "inject-boundary", "the boundaries in use, many times, in a " \
        "diagnostic and an address", s(report([(
            "--" + EVIL_BOUNDARY + "@example.org", "5.1.1",
            "550 x\n --B\n " + " ".join(["--A --B --A-- --B--"] * 40))],
            text_head="Content-Type: multipart/alternative; boundary=A\n",
            notice="--A\nContent-Type: text/plain\n\nfailed\n--A\n"
            "Content-Type: text/html\n\n<html><body>failed</body></html>\n"
            "--A--\n"))
    yield "inject-markup", "HTML, script and links in diagnostic, " \
        "address and host", s(report([(
            "<script>alert(1)</script>@example.org", "5.1.1",
            "550 " + EVIL_MARKUP)],
            extra_report="", mta="dns; <b>evil</b>.example",
            text_head="Content-Type: text/plain\n").replace(
                "Status: 5.1.1\n", "Status: 5.1.1\nRemote-MTA: dns; "
                "javascript:alert(4)\n"))
    yield "inject-markup-html-notice", "markup in the notice of a " \
        "text/html bounce", s(report([("bob@example.org", "5.7.1", "550 "
                                       + EVIL_MARKUP)],
        text_head="Content-Type: text/html\n",
        notice="<html><body><p>failed</p></body></html>\n"))
    yield "inject-text-bounce", "markup in a bounce without a report", \
        s(HEAD + "\nThis is the mail system at host mx.example.net.\n\n"
          "<bob@example.org>: host evil.example said: 550 5.1.1 "
          + EVIL_MARKUP + " (in reply to RCPT TO command)\n")


def linear(mb):
    """Yield (name, bytes) of about mb MB each, to compare times."""
    n = int(mb * 2**20)
    # many recipients (dropped beyond the limit, but read)
    rc = int(n / 70)
    yield "rcpts", s(report([("u%d@example.org" % i, "5.1.1", None)
                             for i in range(rc)]))
    # a long notice of Postfix-style paragraphs
    para = ("<u%d@example.org>: host mx.example.org said: 550 5.1.1 "
            "user unknown (in reply to RCPT TO command)\n\n")
    yield "notice", s(HEAD + "\nThis is the mail system.\n\n" + "".join(
        para % (i % 50000) for i in range(n // 100)))
    # a huge folded header
    yield "header", s(report(ONE).replace(
        "Subject: Undelivered", "Subject: " + "\n\t".join(
            ["fold"] * (n // 6)) + " Undelivered"))
