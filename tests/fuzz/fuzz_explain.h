/*
 * fuzz_explain.h - classify and explain found recipients, checking the
 * HTML rendering (fuzz_explain.c).
 */
#ifndef PB_FUZZ_EXPLAIN_H
#define PB_FUZZ_EXPLAIN_H

#include "plainbounce.h"
#include "fuzz.h"

/* Small limits for the targets that read report fields and notices,
 * so that the cuts are reached (fuzz_explain.c). */
extern const struct pb_limits fuzz_small_limits;

/* fuzz_explain_check - classify rcpts[0..n) (borrowed, changed), render
 * their explanation with the built-in English catalog and abort when
 * the HTML holds markup or a link that pb_explain() did not write.
 * mta (may be NULL) is the Reporting-MTA. */
void fuzz_explain_check(struct pb_rcpt *rcpts, size_t n, const char *mta);

#endif /* PB_FUZZ_EXPLAIN_H */
