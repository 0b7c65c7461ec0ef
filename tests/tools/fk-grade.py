#!/usr/bin/env python3
"""fk-grade.py - Flesch-Kincaid grade level of every entry of a catalog.

Usage: fk-grade.py [--max GRADE] [--worst N] [--allow FILE] CATALOG

Computes the Flesch-Kincaid grade level of each explanation entry (the
four fields what, cause, todo and owner together; [labels] is skipped)
and prints the N worst entries.  Exit status 1 when an entry is above
GRADE (default 8) and not listed in the --allow file (one key per line,
'#' comments), 0 otherwise, 2 on a usage error.

Formula (Kincaid, Fishburne, Rogers and Chissom, "Derivation of new
readability formulas (Automated Readability Index, Fog Count and Flesch
Reading Ease Formula) for Navy enlisted personnel", Research Branch
Report 8-75, Naval Technical Training Command, Millington TN, 1975):

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Syllables are estimated: groups of vowels (a e i o u y) per word, minus
a silent final "e" (but not "-le"), at least one per word; a word in
capitals (an acronym such as DMARC) counts one syllable per letter
group it is spoken as, estimated as its number of letters divided by 2,
at least 1.  Placeholders such as {recipient} count as one one-syllable
word.  Sentences end in '.', '!' or '?' followed by a space or the end
of the text; every field ends a sentence.
"""
import re
import sys

FIELDS = ('what', 'cause', 'todo', 'owner')


def parse(path):
    """Return [(key, {field: text})] of the catalog at path."""
    entries, cur, last = [], None, None
    with open(path, encoding='utf-8') as fp:
        for line in fp:
            line = line.rstrip('\r\n')
            stripped = line.strip()
            if not stripped or stripped.startswith('#'):
                continue
            if line[0] in ' \t':
                if cur is not None and last is not None:
                    cur[1][last] += ' ' + stripped
                continue
            if stripped.startswith('['):
                cur = (stripped[1:-1].strip(), {})
                entries.append(cur)
                last = None
                continue
            name, _, text = stripped.partition('=')
            if cur is not None:
                last = name.strip()
                cur[1][last] = text.strip()
    return entries


def syllables(word):
    """Estimated syllables of one word."""
    letters = re.sub(r'[^A-Za-z]', '', word)
    if not letters:
        return 1
    if len(letters) > 1 and letters.isupper():
        return max(1, len(letters) // 2)
    w = letters.lower()
    count = len(re.findall(r'[aeiouy]+', w))
    if w.endswith('e') and not w.endswith('le') and count > 1:
        count -= 1
    return max(1, count)


def grade(text):
    """(grade, words, sentences, syllables) of text."""
    text = re.sub(r'\{[a-z_]+\}', 'name', text)
    sentences = max(1, len(re.findall(r'[.!?](\s|$)', text)))
    words = [w for w in re.split(r'\s+', text) if re.search(r'[A-Za-z0-9]', w)]
    if not words:
        return 0.0, 0, sentences, 0
    syl = sum(syllables(w) for w in words)
    g = 0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59
    return g, len(words), sentences, syl


def main(argv):
    limit, worst, allow_file, args = 8.0, 10, None, []
    it = iter(argv)
    for a in it:
        if a == '--max':
            limit = float(next(it))
        elif a == '--worst':
            worst = int(next(it))
        elif a == '--allow':
            allow_file = next(it)
        else:
            args.append(a)
    if len(args) != 1:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    allow = set()
    if allow_file:
        with open(allow_file, encoding='utf-8') as fp:
            allow = {l.split('#')[0].strip() for l in fp} - {''}
    results = []
    for key, fields in parse(args[0]):
        if key == 'labels':
            continue
        text = ' '.join(f if f.rstrip().endswith(('.', '!', '?')) else f + '.'
                        for f in (fields.get(n, '') for n in FIELDS) if f)
        results.append((grade(text), key))
    results.sort(key=lambda r: -r[0][0])
    over = [(g, k) for g, k in results if g[0] > limit]
    bad = [(g, k) for g, k in over if k not in allow]
    print('fk-grade: %d entries of %s, limit %.1f, %d above (%d allowed)'
          % (len(results), args[0], limit, len(over), len(over) - len(bad)))
    print('worst entries (grade, words/sentence, syllables/word):')
    for (g, w, s, y), k in results[:worst]:
        mark = '' if g <= limit else (' ALLOWED' if k in allow else ' OVER')
        print('  %5.2f  %5.1f  %4.2f  %s%s' % (g, w / s, y / max(w, 1), k, mark))
    for (g, _w, _s, _y), k in bad:
        print('FAIL %s: grade %.2f > %.1f' % (k, g, limit))
    stale = allow - {k for _g, k in over}
    for k in sorted(stale):
        print('note: %s is allowed but no longer above the limit; '
              'remove it from %s' % (k, allow_file))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
