/*
 * dsn_text.c - recipients from the human-readable notice of a bounce
 *              that has no usable message/delivery-status part: qmail,
 *              Exim, old Sendmail, Postfix without a report, Gmail,
 *              Exchange 2003, OpenSMTPD, DragonFly and the many mailers
 *              that copy one of them.
 *
 * Input:     the parsed message and its detection (borrowed).
 * Output:    struct pb_dsn_report: per recipient the address, the
 *            diagnostic text that follows it, the reply and status codes
 *            found in that text, the remote host and an action (failed,
 *            or delayed when the notice says it is only a warning).
 * Ownership: caller owns the report (pb_dsn_report_free()).
 * Status:    PB_OK (also when nothing is found: *out NULL), PB_ENOMEM.
 * Limits:    lim->max_rcpts recipients, lim->max_field_len per field;
 *            the notice is read once, line by line, and only up to the
 *            first line that starts the returned original (the marker
 *            table below); the returned original is never read.
 * Next:      classify.c.
 *
 * A notice is read only when the message comes from a mail system (null
 * Return-Path, or a From of MAILER-DAEMON, postmaster, "Mail Delivery
 * ..."), and its recipients are:
 *   - the addresses of the X-Failed-Recipients header (Exim, Gmail),
 *     with their diagnostics from the notice when it names them;
 *   - else each line of the notice that starts with an address, alone or
 *     followed by the reason ("<a@b>: ...", "a@b [User unknown]",
 *     "a@b on <date>"), with the indented or following lines as its
 *     diagnostic; a notice's only recipient whose address stands alone
 *     with nothing after it takes the line above it, or else the
 *     notice's error lines;
 *   - in a Sendmail session transcript, each verdict line ("550 5.1.1
 *     <a@b>... User unknown") with the "<<<" replies above it and the
 *     command they answered;
 *   - else an address that follows one of the lead-in phrases of
 *     text_leads[] ("error delivering your mail to <a@b>"); a mailing
 *     list manager's notice names its recipient only so.
 * A report's only recipient whose Final-Recipient is no mail address
 * (a pipe, "@host") is named from the notice or X-Failed-Recipients.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_int.h"
#include "dsn_detect.h"
#include "addr_index.h"
#include "dsn_text.h"
#include "dsn_ses.h"
#include "smtp_command.h"
#include "classify.h"

/* Lines that start the returned original: the notice ends before them
 * (compared case-insensitively after leading white space). */
static const char *const original_markers[] = {
    "------ this is a copy of the message",
    "--- below this line is a copy of the message",
    "----- original message -----",
    "original message follows",
    "message headers follow",
    "below is a copy of the original message",
    "----- unsent message follows -----",
    "------- returned message --------",
    "--- original message follows",
    "----- original message follows -----",
    "------ original message ------",
    "the original message was:",
    "original message:",
    "original mail as follows:", /* fml */
    "bounced e-mail:",
    "content-type: message/rfc822",
    "content-type: text/rfc822-headers",
    "--- the header of the original message is following. ---",
    "return-path:",
    "received:",
};

/* Phrases after which the failed address follows on the same line. */
static const char *const text_leads[] = {
    "error delivering your mail to",
    "did not reach the following recipient:",
    "could not be delivered to:",
    "unknown user:",
    "user unknown:",
    "no such user:",
    "unable to deliver message to",
    "delivery to the following recipients failed:",
    "failed to deliver to",
    "not delivered to",
    "rcpt to:",
    "undeliverable to",
    "rejected recipient",
    "wasn't delivered to",
    "was not delivered to",
    "not a member of this mailing list", /* fml */
    "duplicated message-id in",          /* fml */
};

/* Phrases of a notice that is only a warning: the mail is retried. */
static const char *const delay_phrases[] = {
    "this is a warning only",
    "this is a warning message only",
    "will be retried",
    "still being retried",
    "has been delayed",
    "delivery delayed",
    "delivery is delayed",
    "will continue trying",
    "will keep trying",
    "has not yet been delivered",
    "could not be delivered for more than",
};

/* A recipient block being read. */
struct block {
	struct pb_rcpt *r;
	size_t indent;       /* indentation of its address line */
	struct pb_buf diag;  /* diagnostic text gathered so far */
	size_t lines;        /* diagnostic lines taken */
	const char *command; /* the SMTP command a transcript tells, or
	                        NULL: the diagnostic's own words decide */
	bool gap;            /* a blank or a heading line came after its
	                        address line */
	char status[12];     /* Sendmail's own code on a transcript's
	                        verdict ("550 5.1.1 <a@b>..."), for a
	                        diagnostic that carries none */
};

#define PB_TEXT_MAX_DIAG_LINES 8
#define PB_TEXT_MAX_SESSION 1024 /* bytes of "<<<" replies kept */
#define PB_TEXT_MAX_LISTED 65536 /* bytes of X-Failed-Recipients read */
#define PB_TEXT_MAX_KNOWN 2048   /* bytes at the top of a notice whose
                                    lines go through the classifier's
                                    rules (each line costs them all) */

/* is_local_char - may c appear in the local part of an address? */
static bool
is_local_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr(".!#$%&'*+-/=?^_`{|}~\"", c);
}

/* is_domain_char - may c appear in a domain name? */
static bool
is_domain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* addr_at - length of the address at p[0..n) (local@domain, the domain
 * with a dot unless dotless is set), or 0 */
static size_t
addr_at_any(const char *p, size_t n, bool dotless)
{
	size_t i = 0, at, dots = 0;

	while (i < n && (unsigned char)p[i] != '@' &&
	       is_local_char((unsigned char)p[i]))
		i++;
	if (i == 0 || i >= n || p[i] != '@')
		return 0;
	at = i++;
	while (i < n && is_domain_char((unsigned char)p[i])) {
		dots += p[i] == '.';
		i++;
	}
	while (i > at + 1 && (p[i - 1] == '.' || p[i - 1] == '-')) {
		dots -= p[i - 1] == '.';
		i--;
	}
	return ((dots > 0 || dotless) && i > at + 1) ? i : 0;
}

/* addr_at - an address whose domain has a dot at p[0..n), or 0 */
static size_t
addr_at(const char *p, size_t n)
{
	return addr_at_any(p, n, false);
}

/* token_before_angle - length of a leading token without white space
 * that ends just before a '<' (SendGrid's "user:00000:<a@b> : ..."),
 * or 0 */
static size_t
token_before_angle(const char *l, size_t n)
{
	size_t i;
	size_t colons = 0;

	for (i = 0; i < n && i < 64 && l[i] != ' ' && l[i] != '\t'; i++) {
		if (l[i] == '<')
			return colons >= 2 && l[i - 1] == ':' ? i : 0;
		colons += l[i] == ':';
	}
	return 0;
}

/* lead_addr - the address that starts line l[0..n) (after white space
 * and an optional '<'); *off set to its offset, *rest to the offset
 * after it (and after a closing '>').  Returns its length or 0. */
static size_t
lead_addr(const char *l, size_t n, size_t *off, size_t *rest)
{
	size_t i = 0, a;
	bool angle = false;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (n - i > 4 && memcmp(l + i, ">>> ", 4) == 0)
		i += 4; /* Active!Hunter: ">>> a@b" */
	else if (n - i > 2 && (l[i] == '*' || l[i] == '-') && l[i + 1] == ' ')
		i += 2; /* a bulleted list */
	else if (n - i > 5 && (l[i] == '4' || l[i] == '5') && l[i + 1] >= '0' &&
	         l[i + 1] <= '9' && l[i + 2] >= '0' && l[i + 2] <= '9' &&
	         l[i + 3] == ' ' && l[i + 4] == '<')
		i += 4; /* Sendmail V5: "554 <a@b>... reason" */
	else
		i += token_before_angle(l + i, n - i); /* "user:0:<a@b>" */
	if (i < n && l[i] == '"')
		i++;
	if (i < n && l[i] == '<') {
		i++;
		angle = true;
	}
	/* "<user@localhost>" is an address; a bare "a@b" needs a dot */
	if ((a = addr_at_any(l + i, n - i, angle)) == 0 ||
	    (angle && a < n - i && l[i + a] != '>' &&
	     addr_at(l + i, n - i) == 0))
		return 0;
	*off = i;
	*rest = i + a;
	if (*rest < n && (l[*rest] == '>' || l[*rest] == '"'))
		(*rest)++;
	/* "a@b wrote:" or "a@b said" in a quoted reply is not a failure */
	if (*rest < n && l[*rest] != ':' && l[*rest] != ' ' &&
	    l[*rest] != '\t' && l[*rest] != '.' && l[*rest] != ',' &&
	    l[*rest] != ';')
		return 0;
	return a;
}

/* indent_of - columns of leading white space */
static size_t
indent_of(const char *l, size_t n)
{
	size_t i;

	for (i = 0; i < n && (l[i] == ' ' || l[i] == '\t'); i++)
		;
	return i;
}

/* starts_original - does line l start the returned original? */
static bool
starts_original(const char *l, size_t n)
{
	pb_trim(&l, &n);
	return pb_ascii_starts_any(l, n, original_markers,
	                           PB_NELEM(original_markers)) != NULL;
}

/* remote_host - returns new: the host of "host NAME[" / "host NAME ("
 * or of "NAME [1.2.3.4] did not like", "" when none */
static char *
remote_host(const char *d)
{
	const char *p = pb_ascii_casestr(d, strlen(d), "host "), *e;

	if (p == NULL || (p != d && p[-1] != ' '))
		return strdup("");
	p += 5;
	for (e = p;
	     *e != '\0' && *e != '[' && *e != ' ' && *e != ':' && *e != ',';
	     e++)
		;
	if (e == p || memchr(p, '.', (size_t)(e - p)) == NULL)
		return strdup("");
	return pb_strndup_cap(p, (size_t)(e - p), 255, NULL);
}

/* line_copy - l[0..n), cut at 1000 bytes, as a string in buf */
static const char *
line_copy(char buf[1001], const char *l, size_t n)
{
	if (n > 1000)
		n = 1000;
	memcpy(buf, l, n);
	buf[n] = '\0';
	return buf;
}

/* has_reply - does line l[0..n) hold a reply code standing as a word,
 * such as "...]: 550 5.7.0 ..."? (only its first 1000 bytes are read) */
static bool
has_reply(const char *l, size_t n)
{
	char code[4], buf[1001];

	pb_dsn_find_reply(line_copy(buf, l, n), code);
	return code[0] != '\0';
}

/* is_rule_line - a section heading such as "----- Transcript of session
 * follows -----" or a line of dashes: no part of a diagnostic */
static bool
is_rule_line(const char *t, size_t n)
{
	return n >= 3 && strncmp(t, "---", 3) == 0 &&
	       strncmp(t + n - 3, "---", 3) == 0;
}

/* add_diag - append t[0..n) to the block's diagnostic */
static void
add_diag(struct block *b, const char *t, size_t n)
{
	pb_trim(&t, &n);
	if (n == 0 || b->lines >= PB_TEXT_MAX_DIAG_LINES ||
	    is_rule_line(t, n))
		return;
	if (b->diag.len > 0)
		pb_buf_addc(&b->diag, ' ');
	pb_buf_add(&b->diag, t, n);
	b->lines++;
}

/* finish_block - complete the recipient of b from its diagnostic */
static bool
finish_block(struct block *b, const struct pb_limits *lim, bool delayed)
{
	struct pb_rcpt *r = b->r;
	char code[12];
	const char *d;
	char *addr;

	if (r == NULL)
		return true;
	d = b->diag.data ? b->diag.data : "";
	if (b->diag.failed)
		return false;
	/* a second reading of the recipient replaces the first */
	addr = r->addr;
	r->addr = NULL;
	pb_rcpt_fini(r);
	r->addr = addr;
	if ((r->diagnostic = pb_strndup_cap(d, b->diag.len, lim->max_field_len,
	                                    NULL)) == NULL)
		return false;
	pb_dsn_find_reply(r->diagnostic, code);
	r->reply = strdup(code);
	pb_dsn_find_reply_status(r->diagnostic, code);
	r->status = strdup(code[0] != '\0' ? code : b->status);
	r->rhost = remote_host(r->diagnostic);
	r->action = strdup(delayed ? "delayed" : "failed");
	r->alias = strdup("");
	r->retry_until = strdup("");
	r->command = strdup(b->command ? b->command
	                               : pb_smtp_command_find(d, b->diag.len));
	b->r = NULL;
	b->diag.len = 0;
	b->lines = 0;
	b->command = NULL;
	b->gap = false;
	b->status[0] = '\0';
	return r->reply && r->status && r->rhost && r->action && r->alias &&
	       r->retry_until && r->command;
}

/* find_rcpt - the recipient of rep with address a[0..n), or NULL */
static struct pb_rcpt *
find_rcpt(struct pb_dsn_report *rep, const struct pb_addr_index *idx,
          const char *a, size_t n)
{
	long i = pb_addr_index_find(idx, rep->rcpts, a, n);

	return i < 0 ? NULL : &rep->rcpts[i];
}

/* add_rcpt - a new recipient for address a[0..n); NULL on ENOMEM or at
 * the cap (*failed tells which) */
static struct pb_rcpt *
add_rcpt(struct pb_dsn_report *rep, struct pb_addr_index *idx, size_t *cap,
         const char *a, size_t n, const struct pb_limits *lim, bool *failed)
{
	struct pb_rcpt *r;

	if (rep->nrcpts >= lim->max_rcpts) {
		rep->defects |= PB_DEFECT_RCPTS;
		return NULL;
	}
	if (rep->nrcpts == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		if ((r = realloc(rep->rcpts, ncap * sizeof(*r))) == NULL) {
			*failed = true;
			return NULL;
		}
		rep->rcpts = r;
		*cap = ncap;
	}
	r = &rep->rcpts[rep->nrcpts++];
	memset(r, 0, sizeof(*r));
	if ((r->addr = pb_strndup_cap(a, n, lim->max_field_len, NULL)) ==
	    NULL) {
		*failed = true;
		return NULL;
	}
	if (!pb_addr_index_add(idx, rep->rcpts, rep->nrcpts - 1)) {
		*failed = true;
		return NULL;
	}
	return r;
}

/* Labels whose address is not the failed recipient. */
static const char *const not_rcpt_labels[] = {
    "from",          "to",         "cc",
    "sender",        "reply-to",   "return-path",
    "envelope-from", "mail from",  "postmaster",
    "contact",       "message-id", "in-reply-to",
    "references",    "subject",
};

/* label_addr - "some label: a@b" where the label names the failure, not
 * a header of the original; the address or 0 */
static size_t
label_addr(const char *l, size_t n, size_t *off)
{
	const char *colon = NULL, *p, *lab;
	size_t i, a, ln;

	if (n > 400)
		return 0;
	for (p = l; p + 1 < l + n && colon == NULL; p++) {
		const char *q;
		if (p[0] != ':' || p[1] != ' ')
			continue;
		for (q = p + 1; q < l + n && (*q == ' ' || *q == '<'); q++)
			;
		if ((a = addr_at(q, (size_t)(l + n - q))) > 0) {
			colon = p;
			p = q;
			break;
		}
	}
	if (colon == NULL)
		return 0;
	lab = l;
	ln = (size_t)(colon - l);
	pb_trim(&lab, &ln);
	if (ln == 0)
		return 0;
	for (i = 0; i < PB_NELEM(not_rcpt_labels); i++) {
		size_t m = strlen(not_rcpt_labels[i]);
		if (ln >= m &&
		    strncasecmp(lab + ln - m, not_rcpt_labels[i], m) == 0)
			return 0;
	}
	*off = (size_t)(p - l);
	return a;
}

/* lead_phrase - address after one of text_leads[] in line l, else
 * (unless leads_only, and then *labelled is set) of a "label: a@b"
 * line, or 0 */
static size_t
lead_phrase(const char *l, size_t n, bool leads_only, size_t *off,
            bool *labelled)
{
	size_t i, a;
	const char *hit, *p;

	for (i = 0; i < PB_NELEM(text_leads); i++) {
		if ((hit = pb_ascii_casestr(l, n, text_leads[i])) == NULL)
			continue;
		p = hit + strlen(text_leads[i]);
		while (p < l + n &&
		       (*p == ' ' || *p == '<' || *p == '"' || *p == ':'))
			p++;
		if ((a = addr_at(p, (size_t)(l + n - p))) > 0) {
			*off = (size_t)(p - l);
			return a;
		}
	}
	*labelled = !leads_only;
	return leads_only ? 0 : label_addr(l, n, off);
}

/* Parser state over one notice. */
struct reader {
	const struct pb_limits *lim;
	struct pb_dsn_report *rep;
	size_t cap;
	struct block b;
	struct pb_addr_index idx; /* rep's recipients by address */
	const char *prev;         /* the last line with text outside any
	                             recipient's paragraph, unless it is a
	                             lead-in (ends in ':') or two blank
	                             lines came after it */
	size_t nprev, blanks;
	const char *above;        /* prev when the first recipient's
	                             address stood alone on its line */
	size_t nabove;
	/* a Sendmail session transcript ("... while talking to host:",
	 * ">>> DATA", "<<< 550 ...", then "550 5.1.1 <a@b>... User
	 * unknown" for each address it refused) */
	bool transcript;          /* one of its lines was read */
	const char *sess_cmd;     /* the command of its last ">>>" line */
	bool sess_dot;            /* that line was the end of the data */
	struct pb_buf sess;       /* the "<<<" replies read since then */
	bool after_reply;         /* the line before was a "<<<" reply */
	bool listed;              /* recipients come from X-Failed-Recipients */
	bool leads_only;          /* only text_leads[] name recipients */
	bool delayed;             /* the notice is a warning */
	bool failed;              /* ENOMEM */
};

enum session_line { NOT_SESSION, SESSION_COMMAND, SESSION_REPLY, SESSION_HOST };

/* How Sendmail starts the transcript of a session with one host. */
static const char *const talking[] = {
    "while talking to ",
    "... while talking to ",
};

/* session_line - which line of a Sendmail session transcript t[0..n)
 * (trimmed) is: ">>> COMMAND" (not Active!Hunter's ">>> a@b"),
 * "<<< 550 reply", "... while talking to host:" */
static enum session_line
session_line(const char *t, size_t n)
{
	size_t i;

	if (n >= 5 && memcmp(t, "<<< ", 4) == 0)
		return SESSION_REPLY;
	if (n >= 5 && memcmp(t, ">>> ", 4) == 0) {
		if (t[4] == '.' && n == 5)
			return SESSION_COMMAND; /* the end of the data */
		for (i = 4; i < n && t[i] >= 'A' && t[i] <= 'Z'; i++)
			;
		return i >= 8 && (i == n || t[i] == ' ' || t[i] == ':')
		           ? SESSION_COMMAND
		           : NOT_SESSION;
	}
	return pb_ascii_starts_any(t, n, talking, PB_NELEM(talking))
	           ? SESSION_HOST
	           : NOT_SESSION;
}

/* read_session - a transcript line t[0..n) (trimmed) of kind k: it ends
 * the recipient being read and is kept for the next verdict */
static bool
read_session(struct reader *rd, const char *t, size_t n,
             enum session_line k)
{
	if (!finish_block(&rd->b, rd->lim, rd->delayed))
		return false;
	rd->transcript = true;
	if (k == SESSION_REPLY) {
		if (rd->sess.len + n < PB_TEXT_MAX_SESSION) {
			if (rd->sess.len > 0)
				pb_buf_addc(&rd->sess, ' ');
			pb_buf_add(&rd->sess, t + 4, n - 4);
		}
		rd->after_reply = true;
		return !rd->sess.failed;
	}
	rd->sess.len = 0;
	rd->sess_dot = k == SESSION_COMMAND && t[4] == '.';
	if (k == SESSION_HOST)
		rd->sess_cmd = "";
	else
		rd->sess_cmd = rd->sess_dot ? "DATA" : pb_smtp_command_find(t, n);
	return true;
}

/* verdict_addr - in a transcript, the address of Sendmail's verdict on
 * one recipient, "550 5.1.1 <a@b>... User unknown", as lead_addr() */
static size_t
verdict_addr(const char *l, size_t n, size_t *off, size_t *rest)
{
	size_t i = 4, a;

	if (n < 12 || (l[0] != '4' && l[0] != '5') || l[3] != ' ')
		return 0;
	while (i < n && l[i] != ' ')
		i++;
	if (!pb_is_status_code(l + 4, i - 4) || i + 1 >= n || l[i + 1] != '<')
		return 0;
	i++;
	if ((a = lead_addr(l + i, n - i, off, rest)) == 0)
		return 0;
	*off += i;
	*rest += i;
	return a;
}

/* read_verdict - Sendmail's verdict on the recipient at l[off..off+a)
 * in a transcript, with its words from rest on: the replies read
 * since the last command, the verdict and the lines after it up to the
 * next line of the transcript or of Sendmail ("Message could not be
 * delivered for 8 hours") are its diagnostic, with Sendmail's own code
 * ("550 5.1.1").  Sendmail writes such a line for a recipient refused
 * at RCPT TO: right after a reply it answers RCPT TO even when ">>>
 * DATA" came before (pipelining; a refused DATA is "Service
 * unavailable" for all), but not after the end of the data (">>> .",
 * where LMTP answers per recipient).  False on ENOMEM. */
static bool
read_verdict(struct reader *rd, const char *l, size_t n, size_t off,
             size_t a, size_t rest)
{
	/* the command of the replies not yet given to a verdict */
	const char *cmd = rd->sess_cmd && rd->sess.len > 0 ? rd->sess_cmd : "";
	struct pb_rcpt *r;
	char buf[1001];
	bool ok = true;

	if (rd->after_reply && !rd->sess_dot && strcmp(cmd, "DATA") == 0)
		cmd = "RCPT";
	if (!finish_block(&rd->b, rd->lim, rd->delayed))
		return false;
	r = find_rcpt(rd->rep, &rd->idx, l + off, a);
	if (r != NULL && r->reply != NULL && r->reply[0] != '\0') {
		/* named before with the server's reply: the transcript
		 * adds the command */
		if (cmd[0] != '\0' && (r->command == NULL || r->command[0] == '\0')) {
			free(r->command);
			ok = (r->command = strdup(cmd)) != NULL;
		}
	} else {
		if (r == NULL && !rd->listed)
			r = add_rcpt(rd->rep, &rd->idx, &rd->cap, l + off, a,
			             rd->lim, &rd->failed);
		if (r != NULL) {
			rd->b.r = r;
			rd->b.command = cmd;
			if (rd->sess.len > 0)
				add_diag(&rd->b, rd->sess.data, rd->sess.len);
			/* Sendmail's code before the address, "550 5.1.1 <" */
			if (off > 1)
				pb_dsn_find_reply_status(
				    line_copy(buf, l, off - 1), rd->b.status);
			while (rest < n && (l[rest] == '.' || l[rest] == ' '))
				rest++;
			add_diag(&rd->b, l + rest, n - rest);
		}
		ok = ok && !rd->failed;
	}
	rd->sess.len = 0;
	rd->after_reply = false;
	return ok;
}

/* stands_alone - the address just read stands alone on its line: when
 * it is the notice's only recipient, the line above may say why */
static void
stands_alone(struct reader *rd)
{
	if (rd->rep->nrcpts == 1) {
		rd->above = rd->prev;
		rd->nabove = rd->nprev;
	}
}

/* label_says_why - does the label l[0..off) before an address say why
 * it failed, in words a classifier rule knows ("Mailbox full:")? */
static bool
label_says_why(const char *l, size_t off)
{
	char buf[1001];

	return pb_classify_text(line_copy(buf, l, off)) != NULL;
}

/* read_line - one line of the notice */
static bool
read_line(struct reader *rd, const char *l, size_t n)
{
	size_t off, rest, a, ind = indent_of(l, n);
	struct pb_rcpt *r;
	const char *t = l;
	size_t tn = n;
	enum session_line k;
	bool labelled = false;

	pb_trim(&t, &tn);
	if (rd->b.r != NULL && (tn == 0 || is_rule_line(t, tn)))
		rd->b.gap = true;
	/* a session right under an address (Courier: "<a@b>:", the host,
	 * ">>> RCPT TO:<a@b>", "<<< 550 ...") is that address's reason */
	if ((k = session_line(t, tn)) != NOT_SESSION &&
	    !(rd->b.r != NULL && rd->b.command == NULL && !rd->b.gap))
		return read_session(rd, t, tn, k);
	if (rd->transcript && !rd->leads_only &&
	    ((a = verdict_addr(t, tn, &off, &rest)) > 0 ||
	     (a = lead_addr(t, tn, &off, &rest)) > 0))
		return read_verdict(rd, t, tn, off, a, rest);
	if (tn > 0)
		rd->after_reply = false;
	/* "550 host (smtp)... Host unknown": Sendmail on the next host */
	if (rd->b.command != NULL && tn > 4 && t[0] >= '2' && t[0] <= '5' &&
	    t[1] >= '0' && t[1] <= '9' && t[2] >= '0' && t[2] <= '9' &&
	    t[3] == ' ' && !finish_block(&rd->b, rd->lim, rd->delayed))
		return false;
	if (!rd->leads_only && (a = lead_addr(l, n, &off, &rest)) > 0 &&
	    (rd->b.r == NULL || ind <= rd->b.indent ||
	     strncasecmp(rd->b.r->addr, l + off, a) != 0)) {
		if (rd->b.r != NULL && ind > rd->b.indent)
			goto diag; /* an address inside a diagnostic */
		if (!finish_block(&rd->b, rd->lim, rd->delayed))
			return false;
		r = find_rcpt(rd->rep, &rd->idx, l + off, a);
		/* already read (a second language); but a Sendmail
		 * transcript names again an address listed alone */
		if (r != NULL && r->diagnostic != NULL &&
		    r->diagnostic[0] != '\0')
			return true;
		if (r == NULL && !rd->listed)
			r = add_rcpt(rd->rep, &rd->idx, &rd->cap, l + off, a,
			             rd->lim, &rd->failed);
		if (r == NULL)
			return !rd->failed;
		rd->b.r = r;
		rd->b.indent = ind;
		/* "<a@b>: ...", "<a@b>... User unknown" (Sendmail) */
		while (rest < n && (l[rest] == ':' || l[rest] == ' ' ||
		                    l[rest] == '\t' || l[rest] == '.'))
			rest++;
		add_diag(&rd->b, l + rest, n - rest);
		/* Lotus Notes: the reason, then the address alone */
		if (rest == n)
			stands_alone(rd);
		return true;
	}
	if (rd->b.r == NULL && !rd->listed &&
	    (a = lead_phrase(l, n, rd->leads_only, &off, &labelled)) > 0) {
		if (find_rcpt(rd->rep, &rd->idx, l + off, a) != NULL)
			return true;
		r = add_rcpt(rd->rep, &rd->idx, &rd->cap, l + off, a, rd->lim,
		             &rd->failed);
		if (r == NULL)
			return !rd->failed;
		rd->b.r = r;
		rd->b.indent = ind;
		for (rest = off + a; rest < n && (l[rest] == '>' || l[rest] == ' ' ||
		                                  l[rest] == '\t');
		     rest++)
			;
		/* "target mail address: a@b" and nothing else stands
		 * alone; "Mailbox full: a@b" says why */
		if (!labelled || rest < n || label_says_why(l, off))
			add_diag(&rd->b, l, n);
		else
			stands_alone(rd);
		return true;
	}
diag:
	if (rd->b.r == NULL)
		return true;
	if (indent_of(l, n) == n) { /* a blank line */
		/* or a wide gap: a third blank line in a row */
		if (rd->b.lines >= 3 || rd->blanks >= 2)
			return finish_block(&rd->b, rd->lim, rd->delayed);
		return true;
	}
	add_diag(&rd->b, l, n);
	return true;
}

/* is_delay_notice - does the notice say it is only a warning? */
static bool
is_delay_notice(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < PB_NELEM(delay_phrases); i++)
		if (pb_ascii_casestr(t, n, delay_phrases[i]) != NULL)
			return true;
	return false;
}

/* notice_len - length of the notice at the start of t[0..n) */
static size_t
notice_len(const char *t, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (t + i)) : n - i;
		if (i > 0 && starts_original(t + i, len))
			return i;
		i += len + 1;
	}
	return n;
}

/* ends_colon - does line l[0..n) end with ':' (trailing blanks aside)? */
static bool
ends_colon(const char *l, size_t n)
{
	pb_trim(&l, &n);
	return n > 0 && l[n - 1] == ':';
}

/* read_notice - feed every line of t[0..n) to the reader */
static bool
read_notice(struct reader *rd, const char *t, size_t n)
{
	size_t i = 0, off, rest;

	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (t + i)) : n - i;
		if (len > 0 && t[i + len - 1] == '\r')
			len--;
		if (!read_line(rd, t + i, len))
			return false;
		if (indent_of(t + i, len) == len) { /* blank: one may come */
			if (rd->blanks++ > 0)
				rd->prev = NULL;
		} else {
			/* not "... the following recipients:", a lead-in,
			 * nor a line of some recipient's paragraph */
			rd->blanks = 0;
			rd->prev = rd->b.r == NULL &&
			                   lead_addr(t + i, len, &off, &rest) == 0 &&
			                   !ends_colon(t + i, len)
			               ? t + i
			               : NULL;
			rd->nprev = len;
		}
		i = nl ? (size_t)(nl - t) + 1 : n;
	}
	return finish_block(&rd->b, rd->lim, rd->delayed);
}

/* add_listed - one recipient per address of an X-Failed-Recipients
 * value; false on ENOMEM */
static bool
add_listed(struct reader *rd, const char *v)
{
	size_t n = strlen(v), i = 0, a;

	if (n > PB_TEXT_MAX_LISTED)
		n = PB_TEXT_MAX_LISTED;
	while (i < n) {
		if ((a = addr_at(v + i, n - i)) > 0) {
			if (find_rcpt(rd->rep, &rd->idx, v + i, a) == NULL &&
			    add_rcpt(rd->rep, &rd->idx, &rd->cap, v + i, a,
			             rd->lim, &rd->failed) == NULL &&
			    rd->failed)
				return false;
			i += a;
			continue;
		}
		/* no address starts here: skip the whole word, so each byte
		 * is looked at a bounded number of times */
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		i++;
	}
	return true;
}

/* known_words - does line l[0..n) say how delivery ended in words a
 * classifier rule knows ("Your message was not delivered within 0 days
 * and 1 hours.")?  Only rules of the recipient's mailbox or of time
 * count: a footer's "scanned for viruses" or "TLS secured" tells no
 * failure.  Only its first 1000 bytes are read. */
static bool
known_words(const char *l, size_t n)
{
	char buf[1001];
	const struct pb_text_rule *rule = pb_classify_text(line_copy(buf, l, n));

	if (rule == NULL)
		return false;
	switch (rule->reason) {
	case PB_REASON_EXPIRED:
	case PB_REASON_MAILBOXFULL:
	case PB_REASON_USERUNKNOWN:
	case PB_REASON_HOSTUNKNOWN:
	case PB_REASON_SUSPEND:
	case PB_REASON_MESGTOOBIG:
		return true;
	default:
		return false;
	}
}

/* gather_lines - add to b the lines of t[0..n) that look like an error
 * ("error", "fail", a reply code) or, with indented, are indented under
 * the intro; with known, instead the lines of its first
 * PB_TEXT_MAX_KNOWN bytes that known_words() accepts */
static void
gather_lines(struct block *b, const char *t, size_t n, bool indented,
             bool known)
{
	const char *p = t, *nl;
	size_t left = n, len;
	bool take;

	if (known && left > PB_TEXT_MAX_KNOWN)
		left = PB_TEXT_MAX_KNOWN;
	while (left > 0 && b->lines < PB_TEXT_MAX_DIAG_LINES) {
		nl = memchr(p, '\n', left);
		len = nl ? (size_t)(nl - p) : left;
		if (known)
			take = !ends_colon(p, len) && known_words(p, len);
		else
			take = (indented && len > 2 &&
			        (p[0] == ' ' || p[0] == '\t') &&
			        indent_of(p, len) < len) ||
			       ((indented || !ends_colon(p, len)) &&
			        (pb_ascii_casestr(p, len, "error") ||
			         pb_ascii_casestr(p, len, "fail") ||
			         pb_ascii_casestr(p, len, "google groups") ||
			         has_reply(p, len)));
		if (take)
			add_diag(b, p, len);
		if (nl == NULL)
			break;
		left -= len + 1;
		p = nl + 1;
	}
}

/* finish_unexplained - give the recipients that no paragraph explained
 * (diagnostic NULL, or "" too when empty is set) the notice's error
 * lines as diagnostic, or when it has none its lines that a classifier
 * rule knows ("Your message was not delivered within 0 days and 1
 * hours."); with indented, also the indented lines and the lead-ins
 * ending in ':' (Exim indents the reason under the address list of
 * X-Failed-Recipients, after "SMTP error ... RCPT TO:<a@b>:") */
static bool
finish_unexplained(struct reader *rd, const char *t, size_t n, bool empty,
                   bool indented)
{
	struct block b;
	size_t i;
	bool ok = true;

	for (i = 0; i < rd->rep->nrcpts; i++) {
		const char *d = rd->rep->rcpts[i].diagnostic;
		if (d == NULL || (empty && d[0] == '\0'))
			break;
	}
	if (i == rd->rep->nrcpts)
		return true; /* every recipient has its reason */
	/* the lines, gathered once for all */
	memset(&b, 0, sizeof(b));
	pb_buf_init(&b.diag);
	gather_lines(&b, t, n, indented, false);
	if (b.diag.len == 0 && !b.diag.failed)
		gather_lines(&b, t, n, indented, true);
	if (b.diag.failed) {
		pb_buf_fini(&b.diag);
		return false;
	}
	for (i = 0; ok && i < rd->rep->nrcpts; i++) {
		const char *d = rd->rep->rcpts[i].diagnostic;
		struct block one = b;
		if (d != NULL && !(empty && d[0] == '\0' && b.diag.len > 0))
			continue;
		one.r = &rd->rep->rcpts[i];
		ok = finish_block(&one, rd->lim, rd->delayed);
	}
	pb_buf_fini(&b.diag);
	return ok;
}

/* reader_start - an empty reader with a new report for the notice
 * t[0..n) (already cut before the returned original); false on ENOMEM
 * (nothing to release then) */
static bool
reader_start(struct reader *rd, const struct pb_limits *lim, const char *t,
             size_t n)
{
	memset(rd, 0, sizeof(*rd));
	rd->lim = lim;
	pb_buf_init(&rd->b.diag);
	pb_buf_init(&rd->sess);
	pb_addr_index_init(&rd->idx);
	if ((rd->rep = calloc(1, sizeof(*rd->rep))) == NULL)
		return false;
	rd->delayed = is_delay_notice(t, n);
	return true;
}

/* reader_end - release the reader; when ok (its reading went well) its
 * report goes to *out and PB_OK is returned, else PB_ENOMEM */
static enum pb_status
reader_end(struct reader *rd, bool ok, struct pb_dsn_report **out)
{
	ok = ok && !rd->failed &&
	     (rd->rep->reporting_mta = strdup("")) != NULL;
	pb_buf_fini(&rd->b.diag);
	pb_buf_fini(&rd->sess);
	pb_addr_index_fini(&rd->idx);
	if (!ok) {
		pb_dsn_report_free(rd->rep);
		return PB_ENOMEM;
	}
	*out = rd->rep;
	return PB_OK;
}

/* explain_lone - the notice's only recipient, whose address stood
 * alone with nothing after it, takes the line just above it (Lotus
 * Notes, EZweb) or else the notice's error lines (MailMarshal); with
 * several recipients nothing tells whose such lines are.  False on
 * ENOMEM. */
static bool
explain_lone(struct reader *rd, const char *t, size_t n)
{
	struct block one;
	bool ok;

	if (rd->rep->nrcpts != 1 || rd->rep->rcpts[0].diagnostic == NULL ||
	    rd->rep->rcpts[0].diagnostic[0] != '\0')
		return true;
	if (rd->above == NULL)
		return finish_unexplained(rd, t, n, true, false);
	memset(&one, 0, sizeof(one));
	pb_buf_init(&one.diag);
	one.r = &rd->rep->rcpts[0];
	add_diag(&one, rd->above, rd->nabove);
	ok = finish_block(&one, rd->lim, rd->delayed);
	pb_buf_fini(&one.diag);
	return ok;
}

/* text_parse - pb_dsn_text_parse() of a notice p[0..len) already cut
 * before the returned original, where with leads_only only an address
 * after one of text_leads[] is a recipient */
static enum pb_status
text_parse(const char *p, size_t len, const struct pb_limits *lim,
           bool leads_only, struct pb_dsn_report **out)
{
	struct reader rd;

	*out = NULL;
	if (!reader_start(&rd, lim, p, len))
		return PB_ENOMEM;
	rd.leads_only = leads_only;
	return reader_end(&rd,
	                  read_notice(&rd, p, len) && explain_lone(&rd, p, len),
	                  out);
}

enum pb_status
pb_dsn_text_parse(const char *p, size_t len, const struct pb_limits *lim,
                  struct pb_dsn_report **out)
{
	return text_parse(p, notice_len(p, len), lim, false, out);
}

static enum pb_status enrich_with(const struct pb_msg *msg, const char *t,
                                  size_t n, const struct pb_limits *lim,
                                  struct pb_dsn_report *rep);

/* from_text - inline DSN fields, else the notice's paragraphs; listed
 * is the X-Failed-Recipients value or NULL; leads_only as text_parse() */
static enum pb_status
from_text(const struct pb_msg *msg, const char *t, size_t n,
          const char *listed, bool leads_only, const struct pb_limits *lim,
          struct pb_dsn_report **out)
{
	long off = pb_dsn_detect_inline_offset(t, n);
	struct reader rd;
	enum pb_status st;

	if (off >= 0) {
		/* the notice text above the fields completes them */
		st = pb_dsn_parse(t + off, n - (size_t)off, lim, out);
		if (st == PB_OK && (*out)->nrcpts > 0)
			st = enrich_with(msg, t, notice_len(t, (size_t)off), lim,
			                 *out);
		if (st != PB_OK || (*out)->nrcpts > 0)
			return st;
		pb_dsn_report_free(*out);
		*out = NULL;
	}
	n = notice_len(t, n); /* never the returned original */
	if (listed == NULL)
		return text_parse(t, n, lim, leads_only, out);
	if (!reader_start(&rd, lim, t, n))
		return PB_ENOMEM;
	rd.listed = true;
	return reader_end(&rd,
	                  add_listed(&rd, listed) && read_notice(&rd, t, n) &&
	                      finish_unexplained(&rd, t, n, false, true),
	                  out);
}

enum pb_status
pb_dsn_text_fallback(const struct pb_msg *msg, const struct pb_detect *det,
                     const struct pb_limits *lim, struct pb_dsn_report **out)
{
	enum pb_status st;
	char *text = NULL, *listed = NULL;
	const char *t;
	size_t len;

	*out = NULL;
	if (det->text_plain >= 0) {
		st = pb_msg_part_text(msg, (size_t)det->text_plain,
		                        lim->max_message_size, &text, &len);
		if (st != PB_OK)
			return st == PB_ENOMEM ? st : PB_OK;
		/* SES mails its JSON from an ordinary address */
		if ((st = pb_dsn_ses_parse(text, len, lim, out)) != PB_OK ||
		    *out != NULL || !det->from_mailer) {
			free(text);
			return st;
		}
		t = text;
	} else if (det->from_mailer && msg->nparts == 1 &&
	           strcmp(msg->parts[0].type, "multipart") == 0) {
		/* a multipart whose boundary is wrong: GMime saw no parts */
		t = msg->buf + msg->body_off;
		len = msg->len - msg->body_off;
	} else {
		return PB_OK;
	}
	listed = pb_msg_header(msg, "X-Failed-Recipients");
	st = from_text(msg, t, len, listed, det->list_error, lim, out);
	free(text);
	free(listed);
	return st;
}

enum pb_status
pb_dsn_text_unnamed(const struct pb_msg *msg, const struct pb_detect *det,
                    const struct pb_limits *lim, struct pb_dsn_report **out)
{
	struct reader rd;
	char *text = NULL;
	const char *t;
	size_t len = 0;
	enum pb_status st;

	*out = NULL;
	if (det->text_plain >= 0) {
		st = pb_msg_part_text(msg, (size_t)det->text_plain,
		                        lim->max_message_size, &text, &len);
		if (st == PB_ENOMEM)
			return st;
	}
	t = text ? text : "";
	len = notice_len(t, len);
	if (!reader_start(&rd, lim, t, len)) {
		free(text);
		return PB_ENOMEM;
	}
	st = reader_end(&rd,
	                add_rcpt(rd.rep, &rd.idx, &rd.cap, "", 0, lim,
	                         &rd.failed) &&
	                    finish_unexplained(&rd, t, len, false, false),
	                out);
	free(text);
	return st;
}

/* copy_if_empty - replace *dst by a copy of src when *dst is "" and src
 * is not; false on ENOMEM */
static bool
copy_if_empty(char **dst, const char *src)
{
	char *s;

	if (src == NULL || src[0] == '\0' ||
	    (*dst != NULL && (*dst)[0] != '\0'))
		return true;
	if ((s = strdup(src)) == NULL)
		return false;
	free(*dst);
	*dst = s;
	return true;
}

/* enrich_one - fill r's empty fields from the notice's recipient n */
static bool
enrich_one(struct pb_rcpt *r, const struct pb_rcpt *n)
{
	bool had_diag = r->diagnostic != NULL && r->diagnostic[0] != '\0';

	if (!copy_if_empty(&r->diagnostic, n->diagnostic) ||
	    !copy_if_empty(&r->command, n->command))
		return false;
	if (had_diag)
		return true;
	return copy_if_empty(&r->reply, n->reply) &&
	       copy_if_empty(&r->status, n->status) &&
	       copy_if_empty(&r->rhost, n->rhost) &&
	       pb_dsn_status_from_reply(r);
}

/* is_mail_addr - is a a mail address (local@domain), not a program
 * ("|/usr/bin/prog"), a file or a bare "@domain"? */
static bool
is_mail_addr(const char *a)
{
	const char *at = strrchr(a, '@');

	return at != NULL && at > a && at[1] != '\0' && a[0] != '|' &&
	       a[0] != '/';
}

/* name_by_notice - a report's only recipient has no mail address in
 * Final-Recipient (Exim: the pipe it delivered to; Sendmail: "@host"):
 * give it the one address the notice names, or the one address of
 * X-Failed-Recipients */
static enum pb_status
name_by_notice(const struct pb_msg *msg, struct pb_rcpt *r,
               const struct pb_dsn_report *notice)
{
	char *listed = NULL, *a = NULL;
	size_t n;

	if (notice->nrcpts == 1 && is_mail_addr(notice->rcpts[0].addr)) {
		a = strdup(notice->rcpts[0].addr);
	} else if ((listed = pb_msg_header(msg, "X-Failed-Recipients")) !=
	           NULL) {
		const char *v = listed;
		n = strlen(v);
		pb_trim(&v, &n);
		if (addr_at(v, n) != n || memchr(v, ',', n) != NULL) {
			free(listed);
			return PB_OK; /* not one address */
		}
		a = strndup(v, n);
		free(listed);
	} else {
		return PB_OK;
	}
	if (a == NULL)
		return PB_ENOMEM;
	/* the program is what failed: say so as Exim's notice does */
	if (r->addr[0] == '|' && (r->diagnostic == NULL ||
	                          r->diagnostic[0] == '\0')) {
		struct pb_buf d;
		pb_buf_init(&d);
		pb_buf_adds(&d, "pipe to ");
		pb_buf_adds(&d, r->addr);
		free(r->diagnostic);
		if ((r->diagnostic = pb_buf_take(&d)) == NULL) {
			free(a);
			return PB_ENOMEM;
		}
	}
	free(r->addr);
	r->addr = a;
	return PB_OK;
}

/* enrich_with - complete rep's recipients from the notice text
 * t[0..n) (already cut before the returned original) */
static enum pb_status
enrich_with(const struct pb_msg *msg, const char *t, size_t n,
            const struct pb_limits *lim, struct pb_dsn_report *rep)
{
	struct pb_addr_index idx;
	struct pb_dsn_report *notice = NULL;
	const char *global = "";
	enum pb_status st;
	size_t i, j;

	/* a Sendmail transcript names the command once for all */
	if (pb_ascii_casestr(t, n, ">>> ") != NULL)
		global = pb_smtp_command_find(t, n);
	if ((st = text_parse(t, n, lim, false, &notice)) != PB_OK)
		return st;
	pb_addr_index_init(&idx);
	for (j = 0; j < notice->nrcpts && st == PB_OK; j++)
		if (!pb_addr_index_add(&idx, notice->rcpts, j))
			st = PB_ENOMEM;
	if (st == PB_OK && rep->nrcpts == 1 &&
	    !is_mail_addr(rep->rcpts[0].addr))
		st = name_by_notice(msg, &rep->rcpts[0], notice);
	for (i = 0; i < rep->nrcpts && st == PB_OK; i++) {
		struct pb_rcpt *r = &rep->rcpts[i];
		long k = pb_addr_index_find(&idx, notice->rcpts, r->addr,
		                            strlen(r->addr));
		if (k < 0)
			k = pb_addr_index_find(&idx, notice->rcpts, r->alias,
			                       strlen(r->alias));
		if (k >= 0 && !enrich_one(r, &notice->rcpts[k]))
			st = PB_ENOMEM;
		if (st == PB_OK && !copy_if_empty(&r->command, global))
			st = PB_ENOMEM;
	}
	pb_addr_index_fini(&idx);
	pb_dsn_report_free(notice);
	return st;
}

enum pb_status
pb_dsn_text_enrich(const struct pb_msg *msg, const struct pb_detect *det,
                   const struct pb_limits *lim, struct pb_dsn_report *rep)
{
	enum pb_status st;
	char *text;
	size_t len;

	if (det->text_plain < 0 || rep->nrcpts == 0)
		return PB_OK;
	st = pb_msg_part_text(msg, (size_t)det->text_plain,
	                        lim->max_message_size, &text, &len);
	if (st != PB_OK)
		return st == PB_ENOMEM ? st : PB_OK;
	st = enrich_with(msg, text, notice_len(text, len), lim, rep);
	free(text);
	return st;
}
