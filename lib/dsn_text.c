/*
 * dsn_text.c - recipients from the text of a Postfix-style notice when
 *              the message/delivery-status part is missing or empty
 *              (Postfix writes "--- Delivery report unavailable ---",
 *              and old versions wrote no report at all).
 *
 * Input:     the decoded notification text (borrowed).
 * Output:    struct pb_dsn_report with addr, diagnostic, reply, status
 *            and rhost per recipient paragraph; action "failed".
 * Ownership: caller owns the report (pb_dsn_report_free()).
 * Status:    PB_OK, PB_ENOMEM.
 * Limits:    lim->max_rcpts recipients, lim->max_field_len per field.
 *            One pass over the text; no backtracking.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pb_int.h"
#include "dsn_detect.h"
#include "dsn_text.h"

/* addr_line - length of "<addr>" when line l[0..n) starts with
 * "<addr>:" and addr holds an '@' and no white space, else 0 */
static size_t
addr_line(const char *l, size_t n)
{
	const char *gt;
	size_t i;
	bool at = false;

	if (n < 5 || l[0] != '<' || (gt = memchr(l, '>', n)) == NULL ||
	    (size_t)(gt - l) + 1 >= n || gt[1] != ':')
		return 0;
	for (i = 1; l + i < gt; i++) {
		if (l[i] == ' ' || l[i] == '\t' || l[i] == '<')
			return 0;
		at |= l[i] == '@';
	}
	return at ? (size_t)(gt - l) + 1 : 0;
}

/* remote_host - copy the host of "host NAME[" or "host NAME said" */
static char *
remote_host(const char *d)
{
	const char *p = strstr(d, "host "), *e;

	if (p == NULL || (p != d && p[-1] != ' '))
		return strdup("");
	p += 5;
	for (e = p; *e != '\0' && *e != '[' && *e != ' '; e++)
		;
	return pb_strndup_cap(p, (size_t)(e - p), 255, NULL);
}

/* finish - derive reply, status and host from the diagnostic */
static bool
finish(struct pb_rcpt *r)
{
	const char *said = strstr(r->diagnostic, " said: ");
	char code[12];

	pb_dsn_reply_code(said ? said + 7 : r->diagnostic, code);
	r->reply = strdup(code);
	pb_dsn_find_status(r->diagnostic, code);
	r->status = strdup(code);
	r->rhost = remote_host(r->diagnostic);
	r->action = strdup("failed");
	r->alias = strdup("");
	r->retry_until = strdup("");
	return r->reply && r->status && r->rhost && r->action && r->alias &&
	       r->retry_until;
}

enum pb_status
pb_dsn_text_parse(const char *p, size_t len, const struct pb_limits *lim,
                  struct pb_dsn_report **out)
{
	struct pb_dsn_report *rep;
	struct pb_rcpt *cur = NULL, *nr;
	struct pb_buf diag;
	size_t i = 0, cap = 0;
	bool ok = true;

	*out = NULL;
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return PB_ENOMEM;
	pb_buf_init(&diag);
	while (ok && i <= len) {
		const char *l = p + i, *nl = memchr(l, '\n', len - i);
		size_t n = nl ? (size_t)(nl - l) : len - i, a;
		bool cont = cur && n > 0 && (l[0] == ' ' || l[0] == '\t');
		const char *t = l;
		size_t tn = n;

		pb_trim(&t, &tn);
		if (cur != NULL && !cont) { /* the paragraph ends */
			cur->diagnostic =
			    pb_strndup_cap(diag.data ? diag.data : "", diag.len,
			                   lim->max_field_len, NULL);
			ok = cur->diagnostic != NULL && !diag.failed &&
			     finish(cur);
			cur = NULL;
			diag.len = 0;
		}
		if (cont) {
			pb_buf_addc(&diag, ' ');
			pb_buf_add(&diag, t, tn);
		} else if (ok && (a = addr_line(l, n)) > 0) {
			if (rep->nrcpts >= lim->max_rcpts) {
				rep->defects |= PB_DEFECT_RCPTS;
				break;
			}
			if (rep->nrcpts == cap) {
				cap = cap ? cap * 2 : 4;
				nr = realloc(rep->rcpts, cap * sizeof(*nr));
				if (nr == NULL) {
					ok = false;
					break;
				}
				rep->rcpts = nr;
			}
			cur = &rep->rcpts[rep->nrcpts++];
			memset(cur, 0, sizeof(*cur));
			cur->addr = pb_strndup_cap(l + 1, a - 2,
			                           lim->max_field_len, NULL);
			ok = cur->addr != NULL;
			t = l + a + 1;
			tn = n - a - 1;
			pb_trim(&t, &tn);
			pb_buf_add(&diag, t, tn);
		}
		if (nl == NULL)
			break;
		i += n + 1;
	}
	if (ok && cur != NULL) {
		cur->diagnostic =
		    pb_strndup_cap(diag.data ? diag.data : "", diag.len,
		                   lim->max_field_len, NULL);
		ok = cur->diagnostic != NULL && finish(cur);
	}
	ok = ok && !diag.failed && (rep->reporting_mta = strdup("")) != NULL;
	pb_buf_fini(&diag);
	if (!ok) {
		pb_dsn_report_free(rep);
		return PB_ENOMEM;
	}
	*out = rep;
	return PB_OK;
}

/* Lines that start the returned original in a body whose MIME
 * structure is broken: the text before them is the notice. */
static const char *const original_starts[] = {
    "\nReturn-Path:",
    "\nReceived:",
    "\nContent-Type: message/rfc822",
    "\nContent-Type: text/rfc822-headers",
};

/* notice_len - length of the notice at the start of raw body p[0..n) */
static size_t
notice_len(const char *p, size_t n)
{
	size_t i, end = n;
	const char *hit;

	for (i = 0; i < PB_NELEM(original_starts); i++)
		if ((hit = pb_ascii_casestr(p, end, original_starts[i])) !=
		    NULL)
			end = (size_t)(hit - p);
	return end;
}

/* from_text - inline DSN fields, else Postfix paragraphs, in t[0..n) */
static enum pb_status
from_text(const char *t, size_t n, const struct pb_limits *lim,
          struct pb_dsn_report **out)
{
	long off = pb_dsn_detect_inline_offset(t, n);
	enum pb_status st;

	if (off >= 0) {
		st = pb_dsn_parse(t + off, n - (size_t)off, lim, out);
		if (st != PB_OK || (*out)->nrcpts > 0)
			return st;
		pb_dsn_report_free(*out);
		*out = NULL;
	}
	return pb_dsn_text_parse(t, n, lim, out);
}

enum pb_status
pb_dsn_text_fallback(const struct pb_msg *msg, const struct pb_detect *det,
                     const struct pb_limits *lim, struct pb_dsn_report **out)
{
	enum pb_status st;
	char *text;
	size_t len;

	*out = NULL;
	if (!det->from_mailer)
		return PB_OK;
	if (det->text_plain >= 0) {
		st = pb_msg_part_decode(msg, (size_t)det->text_plain,
		                        lim->max_message_size, &text, &len);
		if (st == PB_ENOMEM)
			return st;
		if (st != PB_OK)
			return PB_OK;
		st = from_text(text, len, lim, out);
		free(text);
		return st;
	}
	/* a multipart whose boundary is wrong: GMime saw no parts */
	if (msg->nparts == 1 && strcmp(msg->parts[0].type, "multipart") == 0)
		return from_text(msg->buf + msg->body_off,
		                 notice_len(msg->buf + msg->body_off,
		                            msg->len - msg->body_off),
		                 lim, out);
	return PB_OK;
}
