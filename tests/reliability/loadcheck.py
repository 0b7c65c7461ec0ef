#!/usr/bin/env python3
"""loadcheck.py - judge miltergen's JSON lines for tests/reliability/load.sh.

  loadcheck.py inputs LIST LOADSET
      LIST has one line per input file: "NAME CHANGED PB.json RB.json",
      where CHANGED is 1 when plainbounce-explain rewrites the file, 0
      when it does not, - when the file has no line feed at all (CR-only
      line ends: miltergen sends it as one header line, which no MTA
      would; only errors and edits are judged),
      PB.json is miltergen's answer for that one message sent with the
      null sender to plainbounce and RB.json the same against the
      bench's replace-body baseline (which only prepends text, so any
      defect it is blamed for was in the input).  Every file must pass
      with no protocol error and an ACCEPT, be modified exactly when
      the CLI rewrites it, and carry no invalid-edit kind that the
      baseline does not carry too.  Writes the files that are valid
      under the baseline and rewritten to LOADSET, one name a line.
      Prints one line of counts; exit 1 and a line per failure.

  loadcheck.py run JSON COUNT
      A load run: COUNT messages completed, no protocol error, no
      invalid edit, only ACCEPT, every bounce modified and no ordinary
      message modified.  Prints "msgs_per_s bounces normal"; exit 1 and
      a line per failure.
"""
import json
import sys


def load(path):
    with open(path) as f:
        lines = [l for l in f if l.startswith("{")]
    if not lines:
        raise ValueError("no JSON line in %s" % path)
    return json.loads(lines[-1])


def verdicts(j):
    return {k: v for c in ("normal", "bounce") for k, v in j[c]["verdicts"].items()}


def inputs(listfile, loadset):
    bad, n, changed, inherited, keep = [], 0, 0, 0, []
    for line in open(listfile):
        name, ch, pbj, rbj = line.split()
        n += 1
        try:
            pb, rb = load(pbj), load(rbj)
        except (OSError, ValueError) as e:
            bad.append("%s: %s" % (name, e))
            continue
        if pb["errors"] or pb["failed_msgs"] or pb["completed_total"] != 1:
            bad.append("%s: protocol errors %s" % (name, pb["error_kinds"]))
        if set(verdicts(pb)) != {"accept"}:
            bad.append("%s: verdicts %s" % (name, verdicts(pb)))
        mod = pb["bounce"]["modified"]
        if ch != "-" and mod != int(ch):
            bad.append("%s: modified=%d but plainbounce-explain %s it"
                       % (name, mod, "rewrites" if ch == "1" else "leaves"))
        new = set(pb["invalid"]) - set(rb["invalid"])
        if new:
            bad.append("%s: invalid edit %s (the baseline has %s)"
                       % (name, sorted(new), sorted(rb["invalid"])))
        if rb["invalid"]:
            inherited += 1
        elif ch == "1" and mod == 1:
            keep.append(name)
        changed += ch == "1"
    with open(loadset, "w") as f:
        f.write("".join(k + "\n" for k in keep))
    print("inputs=%d rewritten=%d inherited-defects=%d load-set=%d"
          % (n, changed, inherited, len(keep)))
    return bad


def run(path, count):
    bad = []
    j = load(path)
    if j["completed_total"] != count:
        bad.append("completed %d of %d" % (j["completed_total"], count))
    if j["errors"] or j["failed_msgs"]:
        bad.append("protocol errors %d %s" % (j["errors"], j["error_kinds"]))
    if j["invalid_msgs"]:
        bad.append("invalid edits %d %s" % (j["invalid_msgs"], j["invalid"]))
    if set(verdicts(j)) != {"accept"}:
        bad.append("verdicts %s" % verdicts(j))
    b, o = j["bounce"], j["normal"]
    if b["n"] == 0 or b["modified"] != b["n"]:
        bad.append("bounces modified %d of %d" % (b["modified"], b["n"]))
    if o["modified"]:
        bad.append("ordinary messages modified: %d" % o["modified"])
    print("%.0f %d %d" % (j["msgs_per_s"], b["n"], o["n"]))
    return bad


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    bad = inputs(*args) if cmd == "inputs" else run(args[0], int(args[1]))
    for b in bad:
        print("FAIL " + b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
