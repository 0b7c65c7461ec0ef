#!/bin/sh
# sisimai-score.sh - run plainbounce-explain --json over the Sisimai corpus
# (../shared/corpus/sisimai) and print the figures of its bin/score.py,
# for the whole corpus and for the messages Sisimai parses with its
# RFC3464, Postfix and Sendmail modules.  Fails on any false bounce or on
# address agreement below 95% there.  Skips (77) without the corpus.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
python=${PYTHON3:-python3}
corpus=${PB_CORPUS:-$srcdir/../shared/corpus/sisimai}
[ -d "$corpus/maildir" ] || { echo "no corpus at $corpus"; exit 77; }
command -v "$python" >/dev/null 2>&1 || { echo "no python3"; exit 77; }
explain=$(cd "$builddir" && pwd)/cli/plainbounce-explain
tool=$(cd "$srcdir" && pwd)/tests/tools/score-subset.py
out=$(mktemp) || exit 99
trap 'rm -f "$out"' EXIT
(cd "$corpus" && "$explain" --json maildir/*/*.eml to-be-debugged-because/*/*.eml) \
    >"$out" || { echo "plainbounce-explain failed"; exit 1; }
"$python" "$tool" "$corpus" "$out" --min-addr 95 --max-false-bounces 0 \
    --show "${PB_SHOW:-0}"
