/*
 * explain.h - render the plain-language explanation of a bounce.
 */
#ifndef PB_EXPLAIN_H
#define PB_EXPLAIN_H

#include <stddef.h>

#include "plainbounce.h"
#include "catalog.h"
#include "pb_int.h"

/* The rendered explanation.  Line ends are "\n"; text lines are at most
 * PB_EXPLAIN_WIDTH characters (UTF-8 code points) unless one word is
 * longer, and no line of either rendering is over 1000 bytes. */
struct pb_explanation {
	char *text; /* text/plain rendering, UTF-8 */
	char *html; /* text/html fragment (a <div>), UTF-8, escaped */
};

#define PB_EXPLAIN_WIDTH 76
#define PB_EXPLAIN_MAX_ITEM 300 /* bytes of one untrusted value shown */

/* The operator's values for the explanation (all borrowed; NULL or ""
 * means none: a sentence that uses a missing value is left out). */
struct pb_explain_opts {
	const char *org;      /* {org} */
	const char *support;  /* {support}: URL or mail address */
	const char *max_size; /* {max_size}, already formatted ("25 MB") */
	const struct pb_help_url *help_urls; /* {help_url} per reason */
	size_t nhelp_urls;
	const char *const *typo_domains; /* extra domains for typo hints */
	size_t ntypo_domains;
};

/* Every placeholder a catalog text may use ({count} and {suggestion}
 * only in labels). */
extern const char *const pb_explain_placeholders[];
extern const size_t pb_explain_nplaceholders;

/*
 * pb_explain - choose a catalog entry for each failed recipient of
 * rcpts[0..n) (borrowed; each explained_by is set to a new string) and
 * render them grouped by entry.  cat, o (may be NULL) and reporting_mta
 * are borrowed.  PB_OK: out holds new strings, release with
 * pb_explanation_fini().  PB_ECATALOG: cat lacks the labels or generic
 * entries.  PB_ENOMEM.  On failure out is zeroed.
 */
enum pb_status pb_explain(const struct pb_catalog_view *cat,
                          const struct pb_explain_opts *o,
                          struct pb_rcpt *rcpts, size_t n,
                          const char *reporting_mta,
                          struct pb_explanation *out);

void pb_explanation_fini(struct pb_explanation *ex);

/*
 * pb_explain_key - returns view (life of cat): the most specific entry
 * for r: rule:NAME (r->rule; delay:rule:NAME for a delay), status:C.S.D,
 * status:X.S.D, reply:NNN, reason:NAME (delay:NAME), then generic
 * (delay:generic).  A status or reply code is used only when its class
 * fits: 4 for a delay, otherwise not 4.  NULL when not even the generic
 * entry exists.
 */
const struct pb_catalog_entry *pb_explain_key(const struct pb_catalog_view *cat,
                                              const struct pb_rcpt *r);

/* pb_explain_is_delay - is r only delayed (to be retried)? */
bool pb_explain_is_delay(const struct pb_rcpt *r);

/*
 * pb_explain_entry_text - returns new: entry e of cat (borrowed) as
 * plain text, the four parts under their labels, placeholders left as
 * they are; NULL on ENOMEM.
 */
char *pb_explain_entry_text(const struct pb_catalog_view *cat,
                            const struct pb_catalog_entry *e);

/* pb_explain_clean - append to b the untrusted text s with control
 * characters and line breaks turned into spaces, runs of white space
 * collapsed, invalid UTF-8 replaced by '?', the colon after a URL
 * scheme written "[:]" (so that no mail reader makes a link of it), cut
 * at max bytes (with "..." added when cut) */
void pb_explain_clean(struct pb_buf *b, const char *s, size_t max);

/* pb_explain_width - the number of characters (UTF-8 code points) in
 * s[0..n) */
size_t pb_explain_width(const char *s, size_t n);

#endif /* PB_EXPLAIN_H */
