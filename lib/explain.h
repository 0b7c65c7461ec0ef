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
 * PB_EXPLAIN_WIDTH columns unless one word is longer, and no line of
 * either rendering is over 1000 bytes. */
struct pb_explanation {
	char *text; /* text/plain rendering, UTF-8 */
	char *html; /* text/html fragment (a <div>), UTF-8, escaped */
};

#define PB_EXPLAIN_WIDTH 76
#define PB_EXPLAIN_MAX_ITEM 300 /* bytes of one untrusted value shown */

/*
 * pb_explain - choose a catalog entry for each failed recipient of
 * rcpts[0..n) (borrowed; each explained_by is set to a new string) and
 * render them grouped by entry.  cat and reporting_mta are borrowed.
 * PB_OK: out holds new strings, release with pb_explanation_fini().
 * PB_ECATALOG: cat lacks the labels or generic entries.  PB_ENOMEM.
 * On failure out is zeroed.
 */
enum pb_status pb_explain(const struct pb_catalog *cat, struct pb_rcpt *rcpts,
                          size_t n, const char *reporting_mta,
                          struct pb_explanation *out);

void pb_explanation_fini(struct pb_explanation *ex);

/*
 * pb_explain_key - returns view (life of cat): the most specific entry
 * for r: status, reply code, reason, then the generic entry; delay
 * variants for a delayed recipient.  NULL when not even the generic
 * entry exists.
 */
const struct pb_catalog_entry *pb_explain_key(const struct pb_catalog *cat,
                                              const struct pb_rcpt *r);

/* pb_explain_clean - append to b the untrusted text s with control
 * characters and line breaks turned into spaces, runs of white space
 * collapsed, invalid UTF-8 replaced by '?', cut at max bytes (with
 * "..." added when cut) */
void pb_explain_clean(struct pb_buf *b, const char *s, size_t max);

#endif /* PB_EXPLAIN_H */
