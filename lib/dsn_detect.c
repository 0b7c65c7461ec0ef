/*
 * dsn_detect.c - decide what kind of message this is and which parts
 *                hold the report and the human-readable text.
 *
 * Input:     struct pb_msg (borrowed).
 * Output:    struct pb_detect (plain values, part indexes into msg).
 * Status:    none: odd input gives PB_DETECT_NONE.
 * Limits:    reads only the top-level header and the content types of
 *            the parts outside the returned original.
 * Next:      dsn_parse.c reads the report part.
 *
 * Rules, in order (RFC 3464, RFC 6522, RFC 6533, RFC 5965, RFC 8098,
 * RFC 3834):
 *   1. a message/delivery-status or message/global-delivery-status part
 *      anywhere outside a returned original: a DSN;
 *   2. a message/feedback-report part or report-type=feedback-report:
 *      an abuse report;
 *   3. a message/disposition-notification part or
 *      report-type=disposition-notification: a read receipt;
 *   4. Auto-Submitted: auto-replied (or the older X-Autoreply family):
 *      an auto-reply,
 *      unless it comes from a mailer (Postfix marks its bounces so);
 *   5. anything else: none; dsn_text.c may still find recipients in the
 *      text of a mailer's notice.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_int.h"
#include "dsn_detect.h"

/* find_part - index of the first part of type/subtype, or -1 */
static int
find_part(const struct pb_msg *msg, const char *type, const char *subtype)
{
	size_t i;

	for (i = 0; i < msg->nparts; i++)
		if (pb_msg_is_type(msg, i, type, subtype))
			return (int)i;
	return -1;
}

/* top_report_type - the report-type of a top-level multipart/report */
static const char *
top_report_type(const struct pb_msg *msg)
{
	if (msg->nparts == 0 || !pb_msg_is_type(msg, 0, "multipart", "report"))
		return NULL;
	return msg->parts[0].report_type;
}

/* is_autoreply - RFC 3834 Auto-Submitted: auto-replied, or the common
 * pre-RFC headers of vacation programs */
static bool
is_autoreply(const struct pb_msg *msg)
{
	char *v;
	bool yes = false;

	if ((v = pb_msg_header(msg, "Auto-Submitted")) != NULL) {
		yes = pb_ascii_casestr(v, strlen(v), "auto-replied") != NULL;
		free(v);
		if (yes)
			return true;
	}
	if (pb_msg_has_header(msg, "X-Autoreply") ||
	    pb_msg_has_header(msg, "X-Autorespond"))
		return true;
	if ((v = pb_msg_header(msg, "Precedence")) != NULL) {
		yes = pb_ascii_casestr(v, strlen(v), "auto_reply") != NULL;
		free(v);
	}
	return yes;
}

/* Local parts that mail systems send their notices from. */
static const char *const mailer_names[] = {
    "mailer-daemon",      "postmaster",    "mail delivery",
    "mail administrator", "mailer_daemon", "mmdf",
    "mail.delivery",      "daemon@",       "post_master",
};

/* from_mailer_name - is From the address of a mail system? */
static bool
from_mailer_name(const struct pb_msg *msg)
{
	char *v;
	size_t i;
	bool yes = false;

	if ((v = pb_msg_header(msg, "From")) == NULL)
		return false;
	for (i = 0; i < PB_NELEM(mailer_names) && !yes; i++)
		yes = pb_ascii_casestr(v, strlen(v), mailer_names[i]) != NULL;
	free(v);
	return yes;
}

/* How the subjects of fml's error notices start; each ends with the
 * list's name: "... (neko ML)". */
static const char *const fml_error_subjects[] = {
    "loop alert:",    "loop back warning:", "security alert",
    "fml system error message", "reject mail", "not member article",
};

/* is_fml_error_subject - "You a@b are not member (x ML)", or one of
 * fml_error_subjects[] ... " ML)"; never a post's "[x:00042] ..." */
static bool
is_fml_error_subject(const char *t, size_t n)
{
	pb_trim(&t, &n);
	if (n < 4 || strncasecmp(t + n - 4, " ML)", 4) != 0 ||
	    memchr(t, '[', n) != NULL)
		return false;
	if (n > 4 && strncasecmp(t, "you ", 4) == 0 &&
	    pb_ascii_casestr(t, n, " are not member (") != NULL)
		return true;
	/* (the " ML)" at the end makes it longer than the prefix) */
	return pb_ascii_starts_any(t, n, fml_error_subjects,
	                           PB_NELEM(fml_error_subjects)) != NULL;
}

/* is_list_error - an error notice of a mailing list manager (fml: an
 * X-MLServer header, a From of the list's "-admin" address and one of
 * its error subjects), which refused a post for the list's own reasons
 * (not a member, a loop); a post to the list has the header too, but
 * the poster's From and a "[name:number]" subject */
static bool
is_list_error(const struct pb_msg *msg)
{
	char *ml, *from = NULL, *subj = NULL;
	const char *at;
	bool yes = false;

	if ((ml = pb_msg_header(msg, "X-MLServer")) == NULL)
		return false;
	if (pb_ascii_casestr(ml, strlen(ml), "fml") != NULL &&
	    (from = pb_msg_header(msg, "From")) != NULL &&
	    (at = strchr(from, '@')) != NULL && at - from >= 6 &&
	    strncasecmp(at - 6, "-admin", 6) == 0 &&
	    (subj = pb_msg_header(msg, "Subject")) != NULL)
		yes = is_fml_error_subject(subj, strlen(subj));
	free(subj);
	free(from);
	free(ml);
	return yes;
}

/* is_from_mailer - null Return-Path or a From of a mail system */
static bool
is_from_mailer(const struct pb_msg *msg)
{
	char *v;
	bool yes;

	if ((v = pb_msg_header(msg, "Return-Path")) != NULL) {
		yes = strcmp(v, "<>") == 0 || strcmp(v, "") == 0;
		free(v);
		if (yes)
			return true;
	}
	return from_mailer_name(msg);
}

/* Subjects that mail systems give their failure notices: the Subject
 * (case aside, leading blanks trimmed) starts with a prefix, or is
 * exactly one of the whole subjects.  Anchored, so that "Re: Returned
 * mail: ..." or "Out of office: Delivery failure ..." are not. */
static const char *const failure_subject_prefixes[] = {
    "undelivered mail returned to sender", /* Postfix */
    "returned mail:",                      /* Sendmail */
    "mail delivery failed",                /* Exim */
    "delivery status notification (failure)", /* Gmail, Exchange */
    "failure notice",                      /* qmail */
    "undeliverable:",                      /* Exchange */
    "unzustellbar:",                       /* Exchange, German */
    "non remis :",                         /* Exchange, French */
    "non remis:",
    "no se puede entregar:",               /* Exchange, Spanish */
    "mail delivery failure",
    "nondeliverable mail",
};
static const char *const failure_subjects[] = {
    "undeliverable message", /* carriers' MMS gateways */
    "undeliverable mail",
    "undelivered mail",
    "delivery failure",
};

bool
pb_dsn_detect_failure_subject(const struct pb_msg *msg)
{
	char *v;
	const char *t;
	size_t i, n;
	bool yes = false;

	if ((v = pb_msg_header(msg, "Subject")) == NULL)
		return false;
	t = v;
	n = strlen(v);
	pb_trim(&t, &n);
	yes = pb_ascii_starts_any(t, n, failure_subject_prefixes,
	                          PB_NELEM(failure_subject_prefixes)) != NULL;
	for (i = 0; i < PB_NELEM(failure_subjects) && !yes; i++)
		yes = n == strlen(failure_subjects[i]) &&
		      strncasecmp(t, failure_subjects[i], n) == 0;
	free(v);
	return yes;
}

/* is_text - text/plain or text/html leaf */
static bool
is_text(const struct pb_msg *msg, int i, const char *subtype)
{
	return i >= 0 && pb_msg_is_type(msg, (size_t)i, "text", subtype);
}

/* find_readable - fill text_plain/text_html with the part the reader
 * sees first (DESIGN.md section 5): the first leaf of the body, going
 * down through the first child of multipart/mixed or related, and
 * choosing inside multipart/alternative */
static void
find_readable(const struct pb_msg *msg, struct pb_detect *out)
{
	size_t i;
	int first = 0;

	if (msg->nparts == 0)
		return;
	while (strcmp(msg->parts[first].type, "multipart") == 0 &&
	       !pb_msg_is_type(msg, (size_t)first, "multipart",
	                       "alternative")) {
		if ((size_t)first + 1 >= msg->nparts ||
		    msg->parts[first + 1].parent != first)
			return;
		first++;
	}
	if (is_text(msg, first, "plain")) {
		out->text_plain = first;
		return;
	}
	if (is_text(msg, first, "html")) {
		out->text_html = first;
		return;
	}
	if (!pb_msg_is_type(msg, (size_t)first, "multipart", "alternative"))
		return;
	for (i = (size_t)first + 1; i < msg->nparts; i++) {
		if (msg->parts[i].parent != first)
			continue;
		if (out->text_plain < 0 && is_text(msg, (int)i, "plain"))
			out->text_plain = (int)i;
		else if (out->text_html < 0 && is_text(msg, (int)i, "html"))
			out->text_html = (int)i;
	}
}

/* line_starts - does the line at p (n bytes left) start with name? */
static bool
line_starts(const char *p, size_t n, const char *name)
{
	size_t m = strlen(name);

	return n >= m && pb_ascii_casestr(p, m, name) == p;
}

long
pb_dsn_detect_inline_offset(const char *text, size_t len)
{
	size_t i = 0;
	long start = -1;

	while (i < len) {
		const char *p = text + i;
		size_t n = len - i;
		const char *nl = memchr(p, '\n', n);
		size_t linelen = nl ? (size_t)(nl - p) + 1 : n;

		if (start < 0 && (line_starts(p, n, "Reporting-MTA:") ||
		                  line_starts(p, n, "Final-Recipient:")))
			start = (long)i;
		else if (start >= 0 && (line_starts(p, n, "Action:") ||
		                        line_starts(p, n, "Status:")))
			return start;
		i += linelen;
	}
	return -1;
}

/* is_carrier_filter - does the notice carry au's (KDDI, EZweb) sign
 * that its spam and sender filter refused the message, "X-SPASIGN: NG"? */
static bool
is_carrier_filter(const struct pb_msg *msg)
{
	char *v = pb_msg_header(msg, "X-SPASIGN"); /* trimmed */
	bool yes = v != NULL && strcasecmp(v, "NG") == 0;

	free(v);
	return yes;
}

void
pb_dsn_detect(const struct pb_msg *msg, struct pb_detect *out)
{
	const char *rt = top_report_type(msg);
	int i;

	memset(out, 0, sizeof(*out));
	out->report = out->text_plain = out->text_html = -1;
	find_readable(msg, out);
	out->list_error = is_list_error(msg);
	out->from_mailer = out->list_error || is_from_mailer(msg);
	out->carrier_filter = is_carrier_filter(msg);

	if ((i = find_part(msg, "message", "delivery-status")) >= 0 ||
	    (i = find_part(msg, "message", "global-delivery-status")) >= 0) {
		out->cls = PB_DETECT_DSN;
		out->report = i;
		out->global = strcmp(msg->parts[i].subtype,
		                     "global-delivery-status") == 0;
		return;
	}
	if ((i = find_part(msg, "message", "feedback-report")) >= 0 ||
	    (rt != NULL && strcmp(rt, "feedback-report") == 0)) {
		out->cls = PB_DETECT_FEEDBACK;
		out->report = i;
		return;
	}
	if ((i = find_part(msg, "message", "disposition-notification")) >= 0 ||
	    (rt != NULL && strcmp(rt, "disposition-notification") == 0)) {
		out->cls = PB_DETECT_MDN;
		out->report = i;
		return;
	}
	if (is_autoreply(msg) && !from_mailer_name(msg)) {
		out->cls = PB_DETECT_VACATION;
		return;
	}
}

/* param_is - does Content-Type value ct carry parameter name=want? */
static bool
param_is(const char *ct, const char *name, const char *want)
{
	size_t nl = strlen(name), wl = strlen(want);
	const char *p;

	for (p = ct; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, name, nl) != 0)
			continue;
		p += nl;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '=')
			continue;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"')
			p++;
		return strncasecmp(p, want, wl) == 0 &&
		       (p[wl] == '\0' || p[wl] == '"' || p[wl] == ';' ||
		        isspace((unsigned char)p[wl]));
	}
	return false;
}

bool
pb_is_other_report(const char *ct)
{
	while (ct != NULL && isspace((unsigned char)*ct))
		ct++;
	if (ct == NULL || strncasecmp(ct, "multipart/report", 16) != 0)
		return false;
	return param_is(ct, "report-type", "disposition-notification") ||
	       param_is(ct, "report-type", "feedback-report");
}
