/*
 * dsn_parse.h - the per-message and per-recipient fields of a DSN.
 */
#ifndef PB_DSN_PARSE_H
#define PB_DSN_PARSE_H

#include <stddef.h>

#include "plainbounce.h"

struct pb_dsn_report {
	char *reporting_mta; /* "" when absent */
	struct pb_rcpt *rcpts;
	size_t nrcpts;
	unsigned defects; /* PB_DEFECT_* */
};

/*
 * pb_dsn_parse - read the fields of a message/delivery-status body
 * p[0..len) (borrowed; already transfer-decoded).  PB_OK: *out is new,
 * free with pb_dsn_report_free(); every string is a copy.  Malformed
 * fields are skipped and flagged, never errors.  PB_ENOMEM: *out NULL.
 * Limits: lim->max_rcpts recipients, lim->max_field_len bytes a field.
 */
enum pb_status pb_dsn_parse(const char *p, size_t len,
                            const struct pb_limits *lim,
                            struct pb_dsn_report **out);

void pb_dsn_report_free(struct pb_dsn_report *rep);

/* pb_rcpt_fini - free the strings of one recipient */
void pb_rcpt_fini(struct pb_rcpt *r);

/* pb_dsn_reply_code - the basic reply code that starts the diagnostic
 * d ("550 5.1.1 ..." or "550-5.1.1 ..."), copied into out[4]; out is ""
 * when there is none */
void pb_dsn_reply_code(const char *d, char out[4]);

/* pb_dsn_find_status - the first RFC 3463 failure code (class 4 or 5)
 * in text d, copied into out[12] ("" when none); only codes standing as
 * words count */
void pb_dsn_find_status(const char *d, char out[12]);

/* pb_dsn_find_reply - the failure reply code (4xx, 5xx) of a server's
 * reply in d: the one that carries a status code ("... said: 550 5.1.1
 * ..."), else the first one standing as a word ("550: User unknown",
 * "ERROR_CODE :550,"), else a success code that starts d ("250 Ok");
 * "" when none */
void pb_dsn_find_reply(const char *d, char out[4]);

/* pb_dsn_find_reply_status - the status code that a server's reply in
 * d carries right after its basic code ("550 5.7.1", "550-'5.7.1"),
 * else the first one d holds, as pb_dsn_find_status() */
void pb_dsn_find_reply_status(const char *d, char out[12]);

/* pb_dsn_status_from_reply - the remote server's own code in r's
 * diagnostic is more precise than a generic or reporter-made status of
 * the same class (a Status of 5.0.0 with "550 5.7.1 ..." from the
 * server, SES's "5.1.0 - Unknown address error 550-'5.2.2 ..."): it
 * replaces r->status (or fills a missing one).  False on ENOMEM. */
bool pb_dsn_status_from_reply(struct pb_rcpt *r);

#endif /* PB_DSN_PARSE_H */
