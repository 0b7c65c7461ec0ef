#!/usr/bin/env python3
"""score-subset.py - score plainbounce-explain --json output against the
Sisimai corpus with ../shared/corpus/bin/score.py, and report the figures
for the messages that Sisimai 4.25 parses with given modules (smtpagent).

Usage: score-subset.py CORPUS_DIR CANDIDATE.jsonl [--agents A,B,...]
           [--min-addr PCT] [--max-false-bounces N]

Prints score.py's report for the whole corpus, then the subset's.  Exits 1
when the subset's address agreement is below --min-addr or the whole
corpus has more false bounces than --max-false-bounces.
"""
import argparse
import importlib.util
import io
import json
import os
import sys
import tempfile
from contextlib import redirect_stdout


def load_score(corpus):
    path = os.path.join(corpus, "..", "bin", "score.py")
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(score, candidate, corpus, show):
    """Run score.py's main() on candidate; return (report text, figures)."""
    argv = ["score.py", candidate] + (["--show", str(show)] if show else [])
    out = io.StringIO()
    old = sys.argv
    sys.argv = argv
    try:
        with redirect_stdout(out):
            score.main()
    finally:
        sys.argv = old
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("candidate")
    ap.add_argument("--agents", default="RFC3464,Postfix,Sendmail")
    ap.add_argument("--min-addr", type=float, default=0.0)
    ap.add_argument("--max-false-bounces", type=int, default=-1)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    score = load_score(args.corpus)
    agents = set(args.agents.split(","))

    text, whole = run(score, args.candidate, args.corpus, args.show)
    print("== whole corpus")
    print(text, end="")

    subset = set()
    with open(os.path.join(args.corpus, "expected.jsonl")) as fh:
        for line in fh:
            row = json.loads(line)
            if {r.get("smtpagent") for r in row["recipients"]} & agents:
                subset.add(row["file"])
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
        with open(args.candidate) as fh:
            for line in fh:
                if json.loads(line)["file"] in subset:
                    tmp.write(line)
    try:
        text, part = run(score, tmp.name, args.corpus, args.show)
    finally:
        os.unlink(tmp.name)
    print(f"== messages Sisimai 4.25 parses with {', '.join(sorted(agents))}"
          f" ({len(subset)})")
    print(text, end="")

    ok = True
    if part["addr_equal"] < args.min_addr:
        print(f"FAIL: address agreement {part['addr_equal']}% < {args.min_addr}%")
        ok = False
    if args.max_false_bounces >= 0 and whole["false_bounces"] > args.max_false_bounces:
        print(f"FAIL: {whole['false_bounces']} false bounces")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
