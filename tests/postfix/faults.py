#!/usr/bin/env python3
"""faults.py - the mail of tests/postfix/faults.sh (standard library only).

  faults.py stream PORT COUNT DELAY HOLD OUT TEMPLATE...
      Send COUNT messages over SMTP to 127.0.0.1:PORT from 4 threads,
      each waiting DELAY seconds after each message.  The messages whose
      numbers are in HOLD (comma-separated, or -) go on their own: after
      RCPT TO their client creates OUT/held-K and waits for
      OUT/release-K before DATA, so that a fault can hit a message that
      the milter has half-way.  Message k carries
      the header "X-Pb-Test-Id: pbf-k" and is, by k modulo 5:
        1    ordinary mail from bob@client.test to alice@local.test;
        0    ordinary mail from alice@local.test to
             nosuchuser@remote.test, which the remote server refuses:
             Postfix's own bounce (with the returned message, so with
             the id) goes to alice;
        else a bounce from TEMPLATE (in turn) with the null sender to
             alice@local.test.
      Writes the bytes sent to OUT/ID.eml, one line "ID KIND ok" or
      "ID KIND failed: REPLY" per message to OUT/sent.log, and the number
      of messages done so far to OUT/progress.  No message is sent
      twice: a refused one counts as a failure.

  faults.py count OUT MAILDIR CATALOGDIR
      Match alice's Maildir against OUT/sent.log.  Every message sent
      must be delivered exactly once (bounces of kind "own" once as
      Postfix's bounce) and be either explained (an X-Plainbounce header
      and a title of the catalogs in CATALOGDIR at the top of its first
      text part; a bounce we sent keeps its delivery-status part byte
      for byte) or unchanged (its body as sent byte for byte and its
      header fields in the same order, below the trace fields Postfix
      adds; Postfix's own bounce with no
      X-Plainbounce and its own text at the top).  Ordinary mail is
      never explained.  Prints one line of counts ("language=n" for the
      explained); exit 1 with a line per failure.
"""
import email
import email.policy
import os
import re
import sys
import threading
import time

sys.dont_write_bytecode = True  # the source tree may be read-only
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mail  # noqa: E402  (tests/postfix/mail.py)

ID_RE = re.compile(rb"(?im)^X-Pb-Test-Id:[ \t]*(pbf-[0-9]+)")


def ordinary(ident, sender, rcpt):
    return ("From: <%s>\nTo: <%s>\nSubject: ordinary message %s\n"
            "Date: Tue, 11 Mar 2025 12:00:00 +0000\n"
            "Message-Id: <%s@client.test>\nX-Pb-Test-Id: %s\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n"
            "\nHello,\n\nthis is ordinary message %s.\n\n-- \nBob\n"
            % (sender, rcpt, ident, ident, ident, ident)).encode()


def plan(k, templates):
    """(kind, sender, rcpt, data) of message k"""
    ident = "pbf-%04d" % k
    if k % 5 == 1:
        return "plain", "bob@client.test", "alice@local.test", \
            ordinary(ident, "bob@client.test", "alice@local.test")
    if k % 5 == 0:
        return "own", "alice@local.test", "nosuchuser@remote.test", \
            ordinary(ident, "alice@local.test", "nosuchuser@remote.test")
    with open(templates[k % len(templates)], "rb") as f:
        return "dsn", "", "alice@local.test", \
            b"X-Pb-Test-Id: " + ident.encode() + b"\n" + f.read()


def hold(out, k):
    """Between RCPT TO and DATA of message k: create OUT/held-K, wait
    (a minute at most) for OUT/release-K."""
    open(os.path.join(out, "held-%d" % k), "w").close()
    for _ in range(1200):
        if os.path.exists(os.path.join(out, "release-%d" % k)):
            return
        time.sleep(0.05)


def stream(port, count, delay, holds, out, *templates):
    count, delay = int(count), float(delay)
    held = set(int(h) for h in holds.split(",") if h.isdigit())
    todo = list(range(1, count + 1))
    lock = threading.Lock()
    done = [0]
    log = open(os.path.join(out, "sent.log"), "w")
    helpers = []

    def one(k):
        kind, sender, rcpt, data = plan(k, templates)
        data = mail.crlf(data)
        ident = "pbf-%04d" % k
        with open(os.path.join(out, ident + ".eml"), "wb") as f:
            f.write(data)
        try:
            if k in held:
                err = mail.smtp_send(port, sender, rcpt, data,
                                     lambda: hold(out, k), 120)
            else:
                err = mail.smtp_send(port, sender, rcpt, data)
        except Exception as e:  # a refused or broken session
            err = "%s: %s" % (type(e).__name__, e)
        with lock:
            log.write("%s %s %s\n" % (ident, kind,
                                      "ok" if err is None else
                                      "failed: " + err))
            log.flush()
            done[0] += 1
            with open(os.path.join(out, "progress.tmp"), "w") as p:
                p.write("%d\n" % done[0])
            os.rename(os.path.join(out, "progress.tmp"),
                      os.path.join(out, "progress"))

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                k = todo.pop(0)
                if k in held:  # on its own, the stream goes on
                    t = threading.Thread(target=one, args=(k,))
                    helpers.append(t)
                    t.start()
                    continue
            one(k)
            time.sleep(delay)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in helpers:
        t.join()
    log.close()


def split(data):
    """header block and body of a message, LF line ends"""
    data = data.replace(b"\r\n", b"\n")
    head, _, body = data.partition(b"\n\n")
    return head + b"\n", body


def titles(catdir):
    """{language: [titles]} from the catalog files"""
    out = {}
    for lang in sorted(os.listdir(catdir)):
        with open(os.path.join(catdir, lang), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"title_\w+\s*=\s*(.+)", line)
                if m:
                    out.setdefault(lang, []).append(m.group(1).strip())
    return out


def first_text(data):
    """the decoded text of the first text/plain part"""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            raw = part.get_payload(decode=True) or b""
            return raw.decode(part.get_content_charset() or "latin-1",
                              "replace")
    return ""


def judge(kind, sent, got, langs):
    """(state, language or None, failure or None) of one delivery"""
    head, body = split(got)
    marked = re.search(rb"(?im)^X-Plainbounce:", head) is not None
    if marked:
        if kind == "plain":
            return "explained", None, "ordinary mail was explained"
        top = first_text(got).lstrip()[:300]
        lang = next((l for l, ts in langs.items()
                     if any(("*** %s ***" % t) in top for t in ts)), None)
        if lang is None:
            return "explained", None, "X-Plainbounce but no title on top"
        if kind == "dsn":
            # a text notice (no report part) has nothing to compare
            want = mail.dsn_part(sent.replace(b"\r\n", b"\n"))
            have = mail.dsn_part(got.replace(b"\r\n", b"\n"))
            if want is not None and want != have:
                return "explained", lang, "delivery-status part changed"
        return "explained", lang, None
    if kind == "own":
        if not first_text(got).lstrip().startswith("This is the mail system"):
            return "unchanged", None, "Postfix's bounce text is not on top"
        return "unchanged", None, None
    shead, sbody = split(sent)
    if body != sbody:
        return "unchanged", None, "body differs from the one sent"
    if names(head)[-len(names(shead)):] != names(shead):
        return "unchanged", None, "header fields differ from those sent"
    return "unchanged", None, None


def names(head):
    """the header field names in order, without Return-Path (Postfix
    drops it and adds its own on delivery); values are left out, as
    Postfix may qualify addresses in them"""
    out = []
    for line in head.split(b"\n"):
        m = re.match(rb"([!-9;-~]+):", line)
        if m and m.group(1).lower() != b"return-path":
            out.append(m.group(1).lower())
    return out


def count(out, maildir, catdir):
    langs = titles(catdir)
    sent = {}
    bad = []
    for line in open(os.path.join(out, "sent.log")):
        ident, kind, res = line.rstrip("\n").split(" ", 2)
        sent[ident] = kind
        if res != "ok":
            bad.append("%s (%s) %s" % (ident, kind, res))
    seen = {}
    for name in sorted(os.listdir(os.path.join(maildir, "new"))):
        path = os.path.join(maildir, "new", name)
        data = open(path, "rb").read()
        ids = set(m.decode() for m in ID_RE.findall(data))
        if len(ids) != 1:
            bad.append("%s: test ids %s" % (name, sorted(ids) or "none"))
            continue
        seen.setdefault(ids.pop(), []).append(data)
    n = {"sent": len(sent), "delivered": 0, "explained": 0, "unchanged": 0}
    by_lang = {}
    for ident, kind in sorted(sent.items()):
        got = seen.pop(ident, [])
        if len(got) != 1:
            bad.append("%s (%s) delivered %d times" % (ident, kind, len(got)))
        for g in got:
            n["delivered"] += 1
            with open(os.path.join(out, ident + ".eml"), "rb") as f:
                state, lang, why = judge(kind, f.read(), g, langs)
            n[state] += 1
            if lang:
                by_lang[lang] = by_lang.get(lang, 0) + 1
            if why:
                bad.append("%s (%s): %s" % (ident, kind, why))
    for ident in sorted(seen):
        bad.append("%s delivered but never sent" % ident)
    print(" ".join("%s=%d" % kv for kv in n.items()) + " " +
          " ".join("%s=%d" % kv for kv in sorted(by_lang.items())))
    for b in bad:
        print("FAIL " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "stream":
        stream(*args)
    else:
        sys.exit(count(*args))
