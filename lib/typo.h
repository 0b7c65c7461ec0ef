/*
 * typo.h - guess the well-known mail domain a mistyped one meant
 * (gmial.com -> gmail.com).
 */
#ifndef PB_TYPO_H
#define PB_TYPO_H

#include <stddef.h>

/* Longest domain compared; longer ones get no suggestion. */
#define PB_TYPO_MAX_LEN 64
/* Largest edit distance suggested (for domains of PB_TYPO_LONG bytes or
 * more; shorter ones get a suggestion only at distance 1). */
#define PB_TYPO_MAX_DIST 2
#define PB_TYPO_LONG 9

/*
 * pb_typo_distance - the Damerau-Levenshtein distance (optimal string
 * alignment: insert, delete, substitute, swap two neighbours) between
 * a[0..an) and b[0..bn), ASCII case-insensitive, or max + 1 when it is
 * more than max.  Work is O(min(an, bn) * (2 max + 1)) and stops early;
 * both lengths must be at most PB_TYPO_MAX_LEN (else max + 1).
 */
unsigned pb_typo_distance(const char *a, size_t an, const char *b, size_t bn,
                          unsigned max);

/*
 * pb_typo_suggest - returns view (static, or an element of extra): the
 * well-known domain that domain (borrowed) is probably a typo of, or
 * NULL.  extra[0..nextra) (borrowed) are the operator's own domains,
 * treated as well-known too.  NULL when domain is itself well-known,
 * too long, not plain ASCII, or when two domains are equally close.
 */
const char *pb_typo_suggest(const char *domain, const char *const *extra,
                            size_t nextra);

#endif /* PB_TYPO_H */
