#!/usr/bin/env python3
"""Run plainbounce-explain on every hostile case (cases.py) and check it.

Usage: check.py EXPLAIN TMPDIR

For each case: exit status 0; time within 3 s + 1 s per MB of input and
peak resident memory within 64 MB + 12 times the input size (not judged
when PB_HOSTILE_BOUNDS=0: tests/hostile.sh sets it in a sanitizer
build); the output is the input byte for byte,
or a rewrite with
  - the same top-level header fields plus one X-Plainbounce (and, when
    a part had to be re-encoded, Content-Type and
    Content-Transfer-Encoding), no header line of the bounce's making;
  - the same MIME tree and the same boundaries;
  - in the explanation (the text between our title and rule in
    text/plain, our <div> in text/html) no markup but our own tags, no
    URL scheme with its colon, nothing of the injected strings.
Then the same structures at 2 MB and 10 MB (cases.linear()): time
grows at most 1.5 times as fast as the size (times under 0.1 s count
as 0.1 s).
Prints one line per case; exit 1 when any check failed.
"""
import email
import email.policy
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402

sys.setrecursionlimit(20000)
OUR_TAGS = ("p>", "/p>", "p style=", "strong>", "/strong>", "em>", "/em>",
            "br>", "div style=", "/div>")
EXTRA_FIELDS = {b"x-plainbounce", b"content-type",
                b"content-transfer-encoding", b"mime-version"}


# Runs the program from a small process, so that its peak RSS is its
# own (Linux keeps a parent's high-water mark across fork and exec).
HELPER = """
import os, sys, time
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
sys.stderr.write("%d %d %f\\n" % (os.waitstatus_to_exitcode(status),
                                  ru.ru_maxrss, time.monotonic() - t0))
"""


def run(explain, path, args=()):
    """Run explain; return (status, stdout, seconds, peak RSS bytes).
    A status below 0 is the signal that killed it."""
    p = subprocess.run([sys.executable, "-c", HELPER, explain] + list(args)
                       + [path], capture_output=True)
    rc, rss, secs = p.stderr.split()[-3:]
    return int(rc), p.stdout, float(secs), int(rss) * 1024


def header_of(raw):
    """The top-level header bytes (up to the first empty line)."""
    m = re.search(rb"\r?\n\r?\n|\r\r", raw)
    if m is None:
        return raw
    if raw.startswith((b"\n", b"\r\n")):
        return b""
    return raw[:m.start() + 1]


def field_names(head):
    """Lower-case names of the header fields, in order."""
    return [m.group(1).lower() for m in
            re.finditer(rb"(?:^|[\r\n])([!-9;-~]+)[ \t]*:", head)]


def tree(msg):
    """The MIME tree: content types and boundaries, nested."""
    if msg.is_multipart() and isinstance(msg.get_payload(), list):
        return (msg.get_content_type(), msg.get_boundary(),
                [tree(p) for p in msg.get_payload()])
    return (msg.get_content_type(), None, None)


def boundaries(t):
    """Every boundary of a tree()."""
    if t[2] is None:
        return []
    return [t[1]] * (t[1] is not None) + [b for c in t[2]
                                          for b in boundaries(c)]


def explanations(msg, raw):
    """(text, html) segments of our explanation in the rewrite (raw
    bytes when the parser found no text part with it)."""
    text, html = [], []
    bodies = []
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            bodies.append(part.get_payload(decode=True) or b"")
        except Exception:  # broken encodings: look at the raw bytes
            bodies.append(str(part.get_payload()).encode("latin-1",
                                                         "replace"))
    for body in bodies + [raw]:
        body = re.sub(rb"\r\n?", b"\n", body)
        if text or html:
            break
        for m in re.finditer(rb"\*\*\* .*?\n-{70}\n", body, re.S):
            text.append(m.group(0))
        for m in re.finditer(rb'<div style="border:2px solid #b00.*?</div>',
                             body, re.S):
            html.append(m.group(0))
    return text, html


def check_explanation(text, html, problems):
    """No injected markup, link or header in our explanation."""
    for seg in text + html:
        low = seg.lower()
        for bad in (b"x-evil-header", b"://", b"javascript:", b"data:"):
            if bad in low:
                problems.append("explanation holds %r" % bad)
    for seg in html:
        for m in re.finditer(rb"<", seg):
            tail = seg[m.end():m.end() + 30].decode("latin-1")
            if not tail.replace("\n", " ").startswith(OUR_TAGS):
                problems.append("markup in the HTML explanation: <%s" % tail)
                break


def check_rewrite(inp, out, problems):
    """The rewrite adds only our header and text."""
    hin, hout = field_names(header_of(inp)), field_names(header_of(out))
    added = [f for f in set(hout) if hout.count(f) > hin.count(f)]
    for f in added:
        if f not in EXTRA_FIELDS:
            problems.append("new header field %r" % f)
    if hout.count(b"x-plainbounce") != 1:
        problems.append("%d X-Plainbounce fields"
                        % hout.count(b"x-plainbounce"))
    for line in re.split(rb"\r\n|\r|\n", out):
        if line.lower().startswith(b"x-evil-header") and \
                not re.search(re.escape(line), inp):
            problems.append("a header line of the bounce's making")
    try:
        pol = email.policy.compat32
        tin = tree(email.message_from_bytes(inp, policy=pol))
        mout = email.message_from_bytes(out, policy=pol)
        if tree(mout) != tin:
            problems.append("MIME tree or boundaries changed")
    except RecursionError:
        problems.append("too deep for Python's parser")
        return
    text, html = explanations(mout, out)
    for i, b in enumerate(boundaries(tin)):
        eb = re.escape(b.encode("latin-1"))
        delim = re.compile(rb"^--" + eb, re.M)
        extra = len(delim.findall(out)) - len(delim.findall(inp))
        # the one allowed: the top multipart's missing closing
        # delimiter, added as the last line
        closed = i == 0 and extra == 1 and \
            not re.search(rb"^--" + eb + rb"--", inp, re.M) and \
            re.search(rb"\n--" + eb + rb"--\r?\n\Z", out) is not None
        if extra != 0 and not closed:
            problems.append("new delimiter lines of boundary %r" % b)
    if not text and not html and \
            inp[len(header_of(inp)):] != out[len(header_of(out)):]:
        problems.append("body changed, but no explanation found")
    check_explanation(text, html, problems)


def check_case(explain, tmp, name, what, data):
    """Run and check one case; returns the list of problems."""
    path = os.path.join(tmp, name + ".eml")
    with open(path, "wb") as f:
        f.write(data)
    mb = len(data) / 2**20
    problems = []
    rc, out, secs, rss = run(explain, path)
    if rc != 0:
        problems.append("exit %d" % rc if rc > 0 else "signal %d" % -rc)
    bounds = os.environ.get("PB_HOSTILE_BOUNDS", "1") != "0"
    if bounds and secs > 3 + mb:
        problems.append("%.1f s, over the %.1f s bound" % (secs, 3 + mb))
    if bounds and rss > 64 * 2**20 + 12 * len(data):
        problems.append("peak RSS %.0f MB" % (rss / 2**20))
    if rc == 0 and out != data:
        check_rewrite(data, out, problems)
    jrc = run(explain, path, ["--json"])[0]
    if jrc != 0:
        problems.append("--json exit %d" % jrc)
    print("%-4s %-26s %7.2f MB %6.2f s %6.0f MB RSS %s  (%s)%s"
          % ("FAIL" if problems else "ok", name, mb, secs, rss / 2**20,
             "same" if out == data else "rewritten", what,
             "".join("\n     - " + p for p in problems)))
    os.unlink(path)
    return problems


def check_linear(explain, tmp):
    """Times at 2 MB and 10 MB; returns the number of failures."""
    bad = 0
    small, big = dict(cases.linear(2)), dict(cases.linear(10))
    for name in small:
        t = []
        for data in (small[name], big[name]):
            path = os.path.join(tmp, "lin.eml")
            with open(path, "wb") as f:
                f.write(data)
            best = min(run(explain, path)[2] for _ in range(2))
            t.append(max(best, 0.1))  # below that, noise dominates
            os.unlink(path)
        growth = len(big[name]) / len(small[name])
        ratio = t[1] / t[0] / growth
        ok = ratio < 1.5
        bad += not ok
        print("%-4s linear-%-19s %.2f s at %.1f MB, %.2f s at %.1f MB: "
              "time/size ratio %.2f (bound 1.5)" % ("ok" if ok else "FAIL", name,
                                          t[0], len(small[name]) / 2**20,
                                          t[1], len(big[name]) / 2**20,
                                          ratio))
    return bad


def main():
    explain, tmp = sys.argv[1], sys.argv[2]
    bad = sum(bool(check_case(explain, tmp, *c)) for c in cases.cases())
    if os.environ.get("PB_HOSTILE_LINEAR", "1") != "0":
        bad += check_linear(explain, tmp)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
