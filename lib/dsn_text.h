/*
 * dsn_text.h - recipients from the human-readable text of a mailer's
 * notice, for bounces whose machine-readable report is missing.
 */
#ifndef PB_DSN_TEXT_H
#define PB_DSN_TEXT_H

#include <stddef.h>

#include "dsn_detect.h"
#include "dsn_parse.h"
#include "msg_parse.h"

/*
 * pb_dsn_text_parse - read Postfix-style recipient paragraphs from text
 * p[0..len) (borrowed):
 *
 *	<user@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
 *	    <user@example.org>: User unknown (in reply to RCPT TO command)
 *
 * A paragraph starts at a line beginning with "<address>:" and goes on
 * over indented lines (dsn_text.c has the other forms it reads).  PB_OK:
 * *out is new (maybe with no recipients);
 * PB_ENOMEM: *out NULL.  Limits as pb_dsn_parse().
 */
enum pb_status pb_dsn_text_parse(const char *p, size_t len,
                                 const struct pb_limits *lim,
                                 struct pb_dsn_report **out);

/*
 * pb_dsn_text_fallback - for a message whose report part is missing,
 * empty or unreadable: an Amazon SES JSON notification in its first
 * text part; else, from a mailer, the recipients written in that part
 * (inline DSN fields, else Postfix paragraphs), or, when its MIME
 * structure is broken, in the body before the returned original.
 * PB_OK: *out is new or NULL (nothing to read); PB_ENOMEM: *out NULL.
 */
enum pb_status pb_dsn_text_fallback(const struct pb_msg *msg,
                                    const struct pb_detect *det,
                                    const struct pb_limits *lim,
                                    struct pb_dsn_report **out);

/*
 * pb_dsn_text_unnamed - for a mail system's failure notice that names
 * no recipient anywhere: a report with one recipient whose address is
 * "" (unknown), its diagnostic the notice's error lines (those with a
 * reply code, "error" or "fail"), failed or, in a warning, delayed.
 * PB_OK: *out is new; PB_ENOMEM: *out NULL.
 */
enum pb_status pb_dsn_text_unnamed(const struct pb_msg *msg,
                                   const struct pb_detect *det,
                                   const struct pb_limits *lim,
                                   struct pb_dsn_report **out);

/*
 * pb_dsn_text_enrich - complete the recipients of a DSN report rep
 * (borrowed, changed in place) from the message's notice text: an empty
 * diagnostic, reply, status or remote host is taken from the notice's
 * paragraph for the same address, and the SMTP command from that
 * paragraph or from a Sendmail transcript.  PB_OK or PB_ENOMEM.
 */
enum pb_status pb_dsn_text_enrich(const struct pb_msg *msg,
    const struct pb_detect *det, const struct pb_limits *lim,
    struct pb_dsn_report *rep);

#endif /* PB_DSN_TEXT_H */
