/*
 * dsn_detect.h - is this message a bounce, and where are its parts?
 */
#ifndef PB_DSN_DETECT_H
#define PB_DSN_DETECT_H

#include <stdbool.h>

#include "msg_parse.h"

/* What the message looks like before its report is read. */
enum pb_detect_class {
	PB_DETECT_NONE = 0,
	PB_DETECT_DSN,      /* a message/(global-)delivery-status part */
	PB_DETECT_TEXT,     /* recipients found in a mailer's text */
	PB_DETECT_FEEDBACK, /* ARF report */
	PB_DETECT_MDN,      /* read receipt */
	PB_DETECT_VACATION, /* RFC 3834 auto-reply */
};

struct pb_detect {
	enum pb_detect_class cls;
	int report;       /* part holding the report fields, or -1 */
	bool global;      /* report is message/global-delivery-status */
	int text_plain;   /* first human-readable text/plain part, or -1 */
	int text_html;    /* its text/html alternative, or -1 */
	bool from_mailer; /* null sender or a mailer-daemon style From */
	bool list_error;  /* a mailing list manager's error notice: its
	                     recipient is named by a lead phrase only */
	bool carrier_filter; /* the mobile carrier's filter refused the
	                        message (au's "X-SPASIGN: NG") */
};

/*
 * pb_dsn_detect - classify msg (borrowed) and fill *out.  Never fails:
 * a message that is none of the known kinds gets PB_DETECT_NONE.
 * Looks only at the top-level header and the parts outside any
 * returned original.
 */
void pb_dsn_detect(const struct pb_msg *msg, struct pb_detect *out);

/* pb_dsn_detect_failure_subject - does msg's Subject start like a mail
 * system's failure notice ("Undelivered Mail Returned to Sender",
 * "Returned mail: ...", "Undeliverable: ...")?  Not after "Re:" or
 * "Fwd:", nor inside someone's own subject. */
bool pb_dsn_detect_failure_subject(const struct pb_msg *msg);

/* pb_dsn_detect_inline_offset - offset in text[0..len) where inline DSN
 * fields start (a line beginning "Reporting-MTA:" or "Final-Recipient:"
 * followed by an "Action:" or "Status:" line), or -1 */
long pb_dsn_detect_inline_offset(const char *text, size_t len);

#endif /* PB_DSN_DETECT_H */
