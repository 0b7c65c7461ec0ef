#!/usr/bin/env python3
"""differences.py - list every disagreement between plainbounce-explain
--json and the Sisimai references of ../shared/corpus/sisimai, one line
each, with the reason for it, as Markdown (tests/corpus/DIFFERENCES.md).

Usage: differences.py CORPUS_DIR CANDIDATE.jsonl > DIFFERENCES.md

The "why" column is derived from what the message and the two analysers
say, by the rules in why_*() below; read them as the explanation of each
class of difference.
"""
import importlib.util
import json
import os
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as fh:
        return {r["file"]: r for r in map(json.loads, fh) if r}


def score_module(corpus):
    path = os.path.join(corpus, "..", "bin", "score.py")
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def why_missed(c, refs):
    """A bounce both Sisimai versions see and we do not."""
    if c.get("kind") == "none" and not c.get("recipients"):
        return ("not read as a mail system's notice: its sender is a person "
                "(a forwarded bounce), or its MIME structure is broken and "
                "its format not known; Sisimai takes the recipient from the "
                "returned original, which plainbounce never reads")
    return "recognised, but no failed recipient found"


def why_addr(c):
    """Failed addresses that differ from both Sisimai versions'."""
    if c.get("recipients") and not any(r.get("addr")
                                       for r in c["recipients"]):
        return ("the notice names no recipient: explained for \"one of your "
                "recipients\"; Sisimai takes the To: of the returned "
                "original, which plainbounce never reads")
    return "address taken differently (see the file)"


def why_reason(mine, want, rec):
    if mine == "userunknown" and "filtered" in want and \
            rec.get("command") == "RCPT":
        return ("the refusal answered RCPT TO (a pipelined transcript: "
                "Sendmail's verdict on the address follows the reply); "
                "Sisimai takes the last command named, DATA, and says "
                "filtered")
    if mine == "userunknown" and "filtered" in want:
        return ("Sisimai calls \"user unknown\" after the message body was "
                "sent (or in a few MTAs' formats) \"filtered\"; this bounce "
                "does not say the refusal answered DATA")
    if mine == "filtered" and "userunknown" in want:
        return ("the refusal answered DATA here, which plainbounce calls "
                "filtered; this MTA's format makes Sisimai say userunknown")
    if mine == "undefined":
        if not rec.get("diagnostic"):
            return "the bounce carries no diagnostic text to classify"
        return "no rule recognises this diagnostic text yet"
    if want & {"undefined", "onhold"}:
        return "Sisimai could not decide; plainbounce's rule names a cause"
    return ("both readings fit the text; the rule order or a vendor rule "
            "decides differently from Sisimai")


def main():
    corpus, cand_path = sys.argv[1], sys.argv[2]
    score = score_module(corpus)
    refs = [load(os.path.join(corpus, n))
            for n in ("expected.jsonl", "expected-sisimai5.jsonl")]
    verdicts = load(os.path.join(corpus, "verdicts.jsonl"))
    cand = load(cand_path)
    rows = {"bounce": [], "addr": [], "status": [], "reason": []}
    for f in sorted(cand):
        rr = [r[f] for r in refs if f in r]
        if not rr:
            continue
        if f in verdicts:
            truth = verdicts[f].get("kind") == "failure"
        else:
            truth = any(r.get("bounce") for r in rr)
        c = cand[f]
        said = bool(c.get("bounce"))
        if said != truth:
            if said:
                rows["bounce"].append((f, "false bounce", c.get("kind"),
                                       "must never happen"))
            else:
                rows["bounce"].append((f, "missed", c.get("kind"),
                                       why_missed(c, rr)))
            continue
        if not said:
            continue
        brefs = [r for r in rr if r.get("bounce") and score.failed(r)]
        if not brefs:
            continue
        if not any(score.addr_matches(c, r) for r in brefs):
            rows["addr"].append((f, ", ".join(sorted(score.addr_set(c))),
                                 ", ".join(sorted(score.addr_set(brefs[0]))),
                                 why_addr(c)))
        for cr in score.failed(c):
            a = (cr.get("addr") or "").lower()
            want = {"status": set(), "reason": set()}
            for r in brefs:
                for x in score.failed(r):
                    if a in {(x.get("addr") or "").lower(),
                             (x.get("alias") or "").lower()}:
                        for k in want:
                            v = (x.get(k) or "").lower()
                            if v and not (k == "status" and score.INVENTED.match(v)):
                                want[k].add(v)
            if want["status"] and (cr.get("status") or "").lower() not in want["status"]:
                rows["status"].append((f, a, cr.get("status") or "(none)",
                                       "/".join(sorted(want["status"])),
                                       "the bounce states another code than "
                                       "Sisimai reports" if cr.get("status")
                                       else "no code stated where plainbounce "
                                       "looks"))
            if want["reason"] and (cr.get("reason") or "") not in want["reason"]:
                rows["reason"].append((f, a, cr.get("reason"),
                                       "/".join(sorted(want["reason"])),
                                       why_reason(cr.get("reason"),
                                                  want["reason"], cr)))
    out = sys.stdout
    out.write("# Differences from Sisimai on ../shared/corpus/sisimai\n\n"
              "Generated by `make differences` (tests/tools/differences.py) "
              "from `plainbounce-explain --json`; every disagreement with both "
              "Sisimai 4.25 and 5.1 (as scored by bin/score.py), one line "
              "each, with the reason.\n\n")
    titles = {"bounce": ("Is it a bounce?", "file | plainbounce | kind | why"),
              "addr": ("Failed addresses", "file | plainbounce | Sisimai | why"),
              "status": ("Status codes", "file | recipient | plainbounce | Sisimai | why"),
              "reason": ("Reasons", "file | recipient | plainbounce | Sisimai | why")}
    for k, (title, head) in titles.items():
        out.write(f"## {title} ({len(rows[k])})\n\n| {head} |\n"
                  f"|{'---|' * (head.count('|') + 1)}\n")
        for row in rows[k]:
            out.write("| " + " | ".join(str(x).replace("|", "\\|")
                                          for x in row) + " |\n")
        out.write("\n")


if __name__ == "__main__":
    main()
