#!/usr/bin/env python3
"""Check that a message rewritten by plainbounce is a faithful rewrite.

Usage: reparse.py [--no-marker] [--eol-insensitive] ORIGINAL.eml REWRITTEN.eml

Checks:
  1. both messages parse (compat32 and default policy) and have the same
     MIME tree (content types in order; message/* parts are not entered);
  2. every message/delivery-status, message/global-delivery-status,
     message/rfc822, message/global and text/rfc822-headers part of the
     original is byte-identical (raw part header + body) in the rewrite;
  3. the rewrite has exactly one top-level X-Plainbounce header
     (skipped with --no-marker);
  4. no line of the rewrite is longer than 998 octets, except lines the
     original already had.
With --eol-insensitive, check 2 treats CRLF, CR and LF line ends as equal.
Exit status: 0 all checks passed, 1 a check failed, 2 usage error.
"""
import argparse
import email
import email.policy
import re
import sys
from pathlib import Path

KEEP = {'message/delivery-status', 'message/global-delivery-status',
        'message/rfc822', 'message/global', 'text/rfc822-headers'}
MAX_LINE = 998
LINE_RE = re.compile(rb'([^\r\n]*)(\r\n|\r|\n|$)')


def iter_lines(raw):
    """Yield (offset, content, line_end) for each line of raw bytes.

    Line ends may be CRLF, LF or CR; the last line may have none.
    """
    pos = 0
    while pos < len(raw):
        m = LINE_RE.match(raw, pos)
        yield pos, m.group(1), m.group(2)
        pos = m.end()


def split_head_body(raw):
    """Split an entity into (header bytes, body bytes) at the first empty line."""
    for pos, content, eol in iter_lines(raw):
        if content == b'':
            return raw[:pos], raw[pos + len(eol):]
    return raw, b''


def split_multipart(body, boundary):
    """Return the raw segments (part header + body) between delimiter lines.

    A delimiter line is '--boundary' or '--boundary--' plus optional
    trailing blanks.  The line end before a delimiter belongs to the
    delimiter (RFC 2046, 5.1.1).  Preamble and epilogue are dropped; a part
    that is not closed (truncated message) runs to the end of the data.
    """
    delim = b'--' + boundary
    parts, start, prev_eol = [], None, b''
    for pos, content, eol in iter_lines(body):
        stripped = content.rstrip(b' \t')
        if stripped in (delim, delim + b'--'):
            if start is not None:
                parts.append(body[start:max(start, pos - len(prev_eol))])
            if stripped != delim:
                return parts
            start = pos + len(content) + len(eol)
        prev_eol = eol
    if start is not None:
        parts.append(body[start:])
    return parts


def is_container(msg):
    """True if msg is a multipart whose parts the parser found."""
    return (msg.get_content_maintype() == 'multipart'
            and isinstance(msg.get_payload(), list))


def mime_tree(msg):
    """Return the tree of content types as nested (type, [children]) tuples."""
    if is_container(msg):
        return (msg.get_content_type(), [mime_tree(p) for p in msg.get_payload()])
    return (msg.get_content_type(), None)


def raw_leaves(raw, msg, path=(), out=None, problems=None):
    """Map each non-multipart part's path to (content type, raw segment).

    Walks the parsed tree and the raw bytes together; for the top-level
    entity only the body is recorded (its header is expected to change).
    Returns (mapping, problems).
    """
    out = {} if out is None else out
    problems = [] if problems is None else problems
    body = split_head_body(raw)[1]
    if is_container(msg):
        boundary = msg.get_boundary().encode('ascii', 'surrogateescape')
        segments = split_multipart(body, boundary)
        subparts = msg.get_payload()
        if len(segments) != len(subparts):
            problems.append('part %s: %d raw segments but %d parsed parts'
                            % (list(path), len(segments), len(subparts)))
        for i, (seg, sub) in enumerate(zip(segments, subparts)):
            raw_leaves(seg, sub, path + (i,), out, problems)
    else:
        out[path] = (msg.get_content_type(), raw if path else body)
    return out, problems


def parse_both(name, raw, failures):
    """Parse raw under the compat32 and default policies.

    All header values are read under the default policy so that its lazy
    header parsing errors show up here.  Returns (compat32 message, default
    message), or None after recording a check 1 failure.
    """
    try:
        old = email.message_from_bytes(raw, policy=email.policy.compat32)
        new = email.message_from_bytes(raw, policy=email.policy.default)
        for part in new.walk():
            for _key, value in part.items():
                str(value)
        return old, new
    except Exception as exc:  # any exception is a failure of check 1
        failures.append('check 1: %s does not parse: %r' % (name, exc))
        return None


def check_structure(orig, rewr, failures):
    """Check 1: same MIME tree under both policies."""
    for label, a, b in (('compat32', orig[0], rewr[0]), ('default', orig[1], rewr[1])):
        ta, tb = mime_tree(a), mime_tree(b)
        if ta != tb:
            failures.append('check 1: MIME trees differ (%s policy):\n  original:  %s\n'
                            '  rewritten: %s' % (label, ta, tb))


def normalise_eol(data):
    """Turn CRLF and CR line ends into LF."""
    return re.sub(rb'\r\n|\r', b'\n', data)


def check_preserved(orig_raw, orig_msg, rewr_raw, rewr_msg, eol_insensitive, failures):
    """Check 2: report and original parts are byte-identical in the rewrite."""
    orig_map, p1 = raw_leaves(orig_raw, orig_msg)
    rewr_map, p2 = raw_leaves(rewr_raw, rewr_msg)
    failures.extend('check 2: original ' + p for p in p1)
    failures.extend('check 2: rewritten ' + p for p in p2)
    for path, (ctype, seg) in sorted(orig_map.items()):
        if ctype not in KEEP:
            continue
        if path not in rewr_map:
            failures.append('check 2: %s part %s missing in rewrite' % (ctype, list(path)))
            continue
        new_type, new_seg = rewr_map[path]
        if eol_insensitive:
            seg, new_seg = normalise_eol(seg), normalise_eol(new_seg)
        if new_type != ctype or new_seg != seg:
            at = next((i for i, (x, y) in enumerate(zip(seg, new_seg)) if x != y),
                      min(len(seg), len(new_seg)))
            failures.append('check 2: %s part %s differs (as %s) at byte %d of the part: '
                            'original %r, rewritten %r'
                            % (ctype, list(path), new_type, at,
                               seg[max(0, at - 20):at + 20], new_seg[max(0, at - 20):at + 20]))


def check_marker(rewr_msg, failures):
    """Check 3: exactly one X-Plainbounce header in the top-level header."""
    count = len(rewr_msg.get_all('X-Plainbounce') or [])
    if count != 1:
        failures.append('check 3: %d X-Plainbounce headers, expected 1' % count)


def check_line_length(raw, orig_raw, failures):
    """Check 4: every line at most 998 octets, line end excluded, unless
    the original already held that very line (a rewrite keeps it)."""
    kept = {content for _pos, content, _eol in iter_lines(orig_raw)
            if len(content) > MAX_LINE}
    for number, (_pos, content, _eol) in enumerate(iter_lines(raw), 1):
        if len(content) > MAX_LINE and content not in kept:
            failures.append('check 4: line %d has %d octets (max %d)'
                            % (number, len(content), MAX_LINE))


def main(argv=None):
    """Run all checks; print failures; return the exit status."""
    ap = argparse.ArgumentParser(description='Check a plainbounce rewrite against its original.')
    ap.add_argument('--no-marker', action='store_true', help='skip check 3 (X-Plainbounce header)')
    ap.add_argument('--eol-insensitive', action='store_true',
                    help='check 2 ignores CRLF/CR/LF differences')
    ap.add_argument('original')
    ap.add_argument('rewritten')
    args = ap.parse_args(argv)
    try:
        orig_raw, rewr_raw = Path(args.original).read_bytes(), Path(args.rewritten).read_bytes()
    except OSError as exc:
        ap.error(str(exc))  # exits with status 2

    failures = []
    orig = parse_both(args.original, orig_raw, failures)
    rewr = parse_both(args.rewritten, rewr_raw, failures)
    if orig and rewr:
        check_structure(orig, rewr, failures)
        check_preserved(orig_raw, orig[0], rewr_raw, rewr[0], args.eol_insensitive, failures)
    if rewr and not args.no_marker:
        check_marker(rewr[0], failures)
    check_line_length(rewr_raw, orig_raw, failures)

    if failures:
        print('\n'.join(failures))
        print('FAIL: %s is not a faithful rewrite of %s' % (args.rewritten, args.original))
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
