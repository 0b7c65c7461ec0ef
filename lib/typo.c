/*
 * typo.c - suggest the well-known mail domain that a recipient domain is
 *          one or two key strokes away from (DESIGN.md section 4).
 *
 * Input:     a domain (borrowed), the operator's extra domains
 *            (borrowed).
 * Output:    a view of the suggested domain, or NULL.
 * Ownership: nothing is allocated; the table is static and read-only.
 * Status:    none; every input gives an answer.
 * Limits:    domains longer than PB_TYPO_MAX_LEN are not compared.  The
 *            distance is computed in a band of width 2 * max + 1 around
 *            the diagonal with an early exit, so one comparison costs
 *            at most PB_TYPO_MAX_LEN * 5 steps.
 *
 * False hints are worse than none: a real domain (gmx.at) must not be
 * "corrected" to its neighbour (gmx.de).  So real neighbours are in the
 * table as well (an exact match gives no hint), short domains (fewer
 * than PB_TYPO_LONG bytes) only get hints at distance 1, very short or
 * crowded ones never are suggested, and a tie between two domains gives
 * no hint.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "pb_int.h"
#include "typo.h"

/* Well-known mail domains.  suggest false: only ever an exact match,
 * never proposed (too short, or too close to other real domains). */
static const struct {
	const char *domain;
	bool suggest;
} known[] = {
    {"gmail.com", true},     {"googlemail.com", true}, {"hotmail.com", true},
    {"hotmail.co.uk", true}, {"hotmail.de", true},     {"hotmail.fr", true},
    {"hotmail.es", true},    {"hotmail.it", true},     {"outlook.com", true},
    {"outlook.de", true},    {"outlook.fr", true},     {"outlook.es", true},
    {"live.com", true},      {"live.de", false},       {"live.fr", false},
    {"msn.com", false},      {"yahoo.com", true},      {"yahoo.de", true},
    {"yahoo.fr", true},      {"yahoo.es", true},       {"yahoo.co.uk", true},
    {"ymail.com", true},     {"rocketmail.com", true}, {"aol.com", true},
    {"aol.de", false},       {"icloud.com", true},     {"me.com", false},
    {"mac.com", false},      {"gmx.de", true},         {"gmx.net", true},
    {"gmx.at", false},       {"gmx.ch", false},        {"gmx.com", false},
    {"web.de", true},        {"t-online.de", true},    {"freenet.de", true},
    {"arcor.de", true},      {"posteo.de", true},      {"mailbox.org", true},
    {"orange.fr", true},     {"wanadoo.fr", true},     {"free.fr", true},
    {"laposte.net", true},   {"sfr.fr", false},        {"neuf.fr", false},
    {"mail.ru", true},       {"bk.ru", false},         {"inbox.ru", true},
    {"list.ru", false},      {"yandex.ru", true},      {"yandex.com", true},
    {"yandex.ua", false},    {"yandex.by", false},     {"yandex.kz", false},
    {"ya.ru", false},        {"protonmail.com", true}, {"proton.me", false},
    {"zoho.com", false},     {"mail.com", false},      {"telefonica.net", true},
    {"movistar.es", true},   {"terra.es", false},      {"libero.it", true},
    {"virgilio.it", true},   {"comcast.net", true},    {"verizon.net", true},
    {"att.net", false},      {"sbcglobal.net", true},
};

/* umin - the smaller of two */
static unsigned
umin(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

unsigned
pb_typo_distance(const char *a, size_t an, const char *b, size_t bn,
                 unsigned max)
{
	/* rows i-2, i-1, i of the OSA matrix; cells outside the band hold
	 * max + 1, which is as good as infinity here */
	unsigned r[3][PB_TYPO_MAX_LEN + 1];
	unsigned inf = max + 1;
	size_t i, j;

	if (an > PB_TYPO_MAX_LEN || bn > PB_TYPO_MAX_LEN ||
	    (an > bn ? an - bn : bn - an) > max)
		return inf;
	for (j = 0; j <= bn; j++)
		r[0][j] = r[1][j] = j <= max ? (unsigned)j : inf;
	for (i = 1; i <= an; i++) {
		unsigned *cur = r[i % 3], *prev = r[(i + 2) % 3],
		         *pp = r[(i + 1) % 3], best = inf;
		size_t lo = i > max ? i - max : 1,
		       hi = i + max < bn ? i + max : bn;
		/* only the cells next to the band are read outside it */
		cur[0] = i <= max ? (unsigned)i : inf;
		if (lo > 1)
			cur[lo - 1] = inf;
		if (hi < bn)
			cur[hi + 1] = inf;
		for (j = lo; j <= hi; j++) {
			unsigned ca = pb_ascii_lower((unsigned char)a[i - 1]),
			         cb = pb_ascii_lower((unsigned char)b[j - 1]);
			unsigned d = umin(prev[j - 1] + (ca != cb),
			                  umin(prev[j] + 1, cur[j - 1] + 1));
			if (i > 1 && j > 1 &&
			    ca == pb_ascii_lower((unsigned char)b[j - 2]) &&
			    pb_ascii_lower((unsigned char)a[i - 2]) == cb)
				d = umin(d, pp[j - 2] + 1);
			cur[j] = umin(d, inf);
			best = umin(best, cur[j]);
		}
		if (best > max && (i > max || cur[0] > max))
			return inf; /* every path is already too long */
	}
	return r[an % 3][bn];
}

/* plain_domain - is d[0..n) lower-case-able ASCII letters, digits, '.'
 * and '-' with at least one dot? */
static bool
plain_domain(const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = pb_ascii_lower((unsigned char)d[i]);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-'))
			return false;
	}
	return memchr(d, '.', n) != NULL;
}

/* allowed - the largest distance at which candidate may be suggested */
static unsigned
allowed(const char *candidate)
{
	return strlen(candidate) >= PB_TYPO_LONG ? PB_TYPO_MAX_DIST : 1;
}

/* Best candidate so far. */
struct best {
	const char *domain;
	unsigned dist;
	bool tie;
};

/* consider - compare domain with candidate; false when they are equal
 * (the domain is well-known: no hint at all) */
static bool
consider(struct best *bt, const char *domain, size_t n, const char *cand,
         bool suggest)
{
	unsigned d =
	    pb_typo_distance(domain, n, cand, strlen(cand), PB_TYPO_MAX_DIST);

	if (d == 0)
		return false;
	if (!suggest || d > allowed(cand))
		return true;
	if (bt->domain == NULL || d < bt->dist) {
		bt->domain = cand;
		bt->dist = d;
		bt->tie = false;
	} else if (d == bt->dist && strcmp(bt->domain, cand) != 0) {
		bt->tie = true;
	}
	return true;
}

const char *
pb_typo_suggest(const char *domain, const char *const *extra, size_t nextra)
{
	struct best bt = {NULL, 0, false};
	size_t i, n = strlen(domain);

	if (n == 0 || n > PB_TYPO_MAX_LEN || !plain_domain(domain, n))
		return NULL;
	for (i = 0; i < PB_NELEM(known); i++)
		if (!consider(&bt, domain, n, known[i].domain,
		              known[i].suggest))
			return NULL;
	for (i = 0; i < nextra; i++)
		if (extra[i] != NULL &&
		    !consider(&bt, domain, n, extra[i],
		              strlen(extra[i]) <= PB_TYPO_MAX_LEN))
			return NULL;
	return bt.tie ? NULL : bt.domain;
}
