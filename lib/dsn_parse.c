/*
 * dsn_parse.c - read the machine-readable part of a bounce
 *               (RFC 3464 section 2, message/delivery-status; RFC 6533
 *               message/global-delivery-status has the same syntax).
 *
 * Input:     the decoded body of the report part (borrowed).
 * Output:    struct pb_dsn_report: Reporting-MTA and one pb_rcpt per
 *            recipient block, in message order, with Final-Recipient,
 *            Original-Recipient, Action, Status, Remote-MTA,
 *            Diagnostic-Code (unfolded, type and reply code split out)
 *            and Will-Retry-Until.  Classification fields are left for
 *            classify.c.
 * Ownership: caller owns the report (pb_dsn_report_free()); all strings
 *            are copies.
 * Status:    PB_OK, PB_ENOMEM.  Malformed fields are skipped and flagged
 *            (PB_DEFECT_DSN); over-long ones cut (PB_DEFECT_FIELD).
 * Limits:    lim->max_rcpts recipients (PB_DEFECT_RCPTS beyond),
 *            lim->max_field_len bytes per field.
 * Next:      classify.c.
 *
 * Real reports bend the grammar: blank lines are missing between the
 * per-message and the first per-recipient block, or between recipients;
 * address types are omitted; addresses come in angle brackets.  So a new
 * block starts at a blank line or at a second Final-Recipient, and a
 * block is a recipient when it names one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_int.h"
#include "dsn_parse.h"
#include "msg_parse.h"
#include "smtp_command.h"

/* The fields we keep, by recipient slot. */
enum field {
	F_NONE = 0,
	F_REPORTING_MTA,
	F_FINAL_RCPT,
	F_ORIG_RCPT,
	F_ACTION,
	F_STATUS,
	F_REMOTE_MTA,
	F_DIAGNOSTIC,
	F_RETRY_UNTIL,
};

static const struct {
	const char *name;
	enum field f;
} field_names[] = {
    {"reporting-mta", F_REPORTING_MTA},
    {"final-recipient", F_FINAL_RCPT},
    {"original-recipient", F_ORIG_RCPT},
    {"action", F_ACTION},
    {"status", F_STATUS},
    {"remote-mta", F_REMOTE_MTA},
    {"diagnostic-code", F_DIAGNOSTIC},
    {"will-retry-until", F_RETRY_UNTIL},
};

struct parser {
	const struct pb_limits *lim;
	struct pb_dsn_report *rep;
	size_t cap;
	struct pb_rcpt *cur; /* recipient being filled, or NULL */
	struct pb_buf field; /* current unfolded field: "name:value" */
	bool failed;         /* ENOMEM */
};

void
pb_rcpt_fini(struct pb_rcpt *r)
{
	free(r->addr);
	free(r->alias);
	free(r->action);
	free(r->status);
	free(r->reply);
	free(r->rhost);
	free(r->diagnostic);
	free(r->retry_until);
	free(r->command);
	memset(r, 0, sizeof(*r));
}

void
pb_dsn_report_free(struct pb_dsn_report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->nrcpts; i++)
		pb_rcpt_fini(&rep->rcpts[i]);
	free(rep->rcpts);
	free(rep->reporting_mta);
	free(rep);
}

void
pb_dsn_reply_code(const char *d, char out[4])
{
	out[0] = '\0';
	if ((d[0] == '2' || d[0] == '4' || d[0] == '5') && pb_ascii_is_digit(d[1]) &&
	    pb_ascii_is_digit(d[2]) && (d[3] == '\0' || d[3] == ' ' || d[3] == '-')) {
		memcpy(out, d, 3);
		out[3] = '\0';
	}
}

void
pb_dsn_find_status(const char *d, char out[12])
{
	size_t i, n = strlen(d), j;

	out[0] = '\0';
	for (i = 0; i + 5 <= n; i++) {
		if (i > 0 && (pb_ascii_is_digit(d[i - 1]) || d[i - 1] == '.' ||
		              pb_ascii_is_alpha(d[i - 1])))
			continue;
		for (j = i; j < n && (pb_ascii_is_digit(d[j]) || d[j] == '.'); j++)
			;
		while (j > i && d[j - 1] == '.')
			j--; /* a sentence may end right after the code */
		if (j - i < 12 && pb_is_status_code(d + i, j - i) &&
		    d[i] != '2' && !pb_ascii_is_alpha(d[j]) && !pb_ascii_is_digit(d[j])) {
			memcpy(out, d + i, j - i);
			out[j - i] = '\0';
			return;
		}
		if (j > i)
			i = j - 1;
	}
}

/* is_reply_at - is d[i..] a failure reply code (4xx, 5xx) standing as
 * a word ("550 ...", "said: 550-...", "'550:", "ERROR_CODE :550,")? */
static bool
is_reply_at(const char *d, size_t i, size_t n)
{
	if (i + 3 > n || (d[i] != '4' && d[i] != '5') || !pb_ascii_is_digit(d[i + 1]) ||
	    !pb_ascii_is_digit(d[i + 2]) ||
	    (i + 3 < n && strchr(" -:,;'", d[i + 3]) == NULL))
		return false;
	if (i == 0)
		return true;
	/* "label :550" but not the port of "[192.0.2.1]:587:" */
	if (d[i - 1] == ':')
		return i == 1 || d[i - 2] == ' ';
	return strchr(" \t(<>'\"", d[i - 1]) != NULL;
}

/* status_after - the status code that the reply code at d[i] carries
 * ("550 5.7.1", "550-'5.2.2", "550 #5.1.0") into out; false when none */
static bool
status_after(const char *d, size_t i, size_t n, char out[12])
{
	size_t j = i + 4, k;

	if (i + 9 > n || (d[i + 3] != ' ' && d[i + 3] != '-'))
		return false;
	if (d[j] == '\'' || d[j] == '#')
		j++;
	if (d[j] != '4' && d[j] != '5')
		return false;
	/* read in place: at most 11 digits and dots, standing as a word */
	for (k = j; k < n && k - j < 12 && (pb_ascii_is_digit(d[k]) || d[k] == '.'); k++)
		;
	while (k > j && d[k - 1] == '.')
		k--; /* a sentence may end right after the code */
	if (k - j >= 12 || (k < n && (pb_ascii_is_digit(d[k]) || pb_ascii_is_alpha(d[k]))) ||
	    !pb_is_status_code(d + j, k - j))
		return false;
	memcpy(out, d + j, k - j);
	out[k - j] = '\0';
	return true;
}

/* coded_reply - offset of the first reply code in d[0..n) that carries
 * a status (into status), else of the first reply code (status "");
 * n when there is none */
static size_t
coded_reply(const char *d, size_t n, char status[12])
{
	size_t i, first = n;

	for (i = 0; i < n; i++) {
		if (!is_reply_at(d, i, n))
			continue;
		if (status_after(d, i, n, status))
			return i;
		if (first == n)
			first = i;
	}
	status[0] = '\0';
	return first;
}

void
pb_dsn_find_reply_status(const char *d, char out[12])
{
	coded_reply(d, strlen(d), out);
	if (out[0] == '\0')
		pb_dsn_find_status(d, out);
}

void
pb_dsn_find_reply(const char *d, char out[4])
{
	size_t n = strlen(d), i;
	char status[12];

	if ((i = coded_reply(d, n, status)) < n) {
		memcpy(out, d + i, 3);
		out[3] = '\0';
	} else
		pb_dsn_reply_code(d, out); /* "250 2.1.5 Ok" of a success */
}

bool
pb_dsn_status_from_reply(struct pb_rcpt *r)
{
	char code[12];

	if (r->diagnostic == NULL)
		return true;
	pb_dsn_find_reply_status(r->diagnostic, code);
	if (code[0] == '\0' ||
	    (r->status != NULL && r->status[0] != '\0' &&
	     (r->status[0] != code[0] || strcmp(r->status, code) == 0)))
		return true;
	free(r->status);
	return (r->status = strdup(code)) != NULL;
}

/* strip_type - skip an "rfc822;", "dns;" or "smtp;" type prefix: the
 * text before the first ';' when it is one word without '@' */
static void
strip_type(const char **v, size_t *n)
{
	const char *semi = memchr(*v, ';', *n);
	const char *q;

	if (semi == NULL)
		return;
	for (q = *v; q < semi; q++)
		if (*q == ' ' || *q == '\t' || *q == '@' || *q == '<')
			return;
	*n -= (size_t)(semi + 1 - *v);
	*v = semi + 1;
	pb_trim(v, n);
}

/* is_exit_status - is v[0..n) "X-Unix; NUMBER", a delivery program's
 * exit status? */
static bool
is_exit_status(const char *v, size_t n)
{
	size_t i = 7;

	if (n < 8 || strncasecmp(v, "x-unix;", 7) != 0)
		return false;
	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (i == n)
		return false;
	for (; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/* strip_angles - remove enclosing angle brackets, also an unpaired one */
static void
strip_angles(const char **v, size_t *n)
{
	if (*n > 0 && (*v)[0] == '<') {
		(*v)++;
		(*n)--;
	}
	if (*n > 0 && (*v)[*n - 1] == '>')
		(*n)--;
	pb_trim(v, n);
}

/* set - replace *dst with a capped copy of v[0..n); false on ENOMEM */
static bool
set(struct parser *ps, char **dst, const char *v, size_t n)
{
	bool cut;
	char *s = pb_strndup_cap(v, n, ps->lim->max_field_len, &cut);

	if (s == NULL)
		return false;
	if (cut)
		ps->rep->defects |= PB_DEFECT_FIELD;
	free(*dst);
	*dst = s;
	return true;
}

/* from_iso2022jp - Japanese servers write ISO-2022-JP (7-bit, with
 * escape sequences) straight into Diagnostic-Code: make such a value
 * UTF-8, so that rules and readers see the words; kept as it is when
 * the conversion fails.  UTF-8 is longer: the result is cut to
 * max_field_len bytes, before a whole character, as set() cuts. */
static void
from_iso2022jp(struct parser *ps, char **s)
{
	size_t cap = ps->lim->max_field_len;
	size_t un;
	char *u;

	if (strstr(*s, "\x1b$B") == NULL && strstr(*s, "\x1b$@") == NULL)
		return;
	if ((u = pb_to_utf8(*s, strlen(*s), "iso-2022-jp", &un)) != NULL) {
		if (un > cap) {
			while (cap > 0 && ((unsigned char)u[cap] & 0xC0) == 0x80)
				cap--; /* not inside a character */
			u[cap] = '\0';
			ps->rep->defects |= PB_DEFECT_FIELD;
		}
		free(*s);
		*s = u;
	}
}

/* new_rcpt - start a recipient; NULL when the cap is reached or ENOMEM
 * (ps->failed tells which) */
static struct pb_rcpt *
new_rcpt(struct parser *ps)
{
	struct pb_dsn_report *rep = ps->rep;
	struct pb_rcpt *r;

	if (rep->nrcpts >= ps->lim->max_rcpts) {
		rep->defects |= PB_DEFECT_RCPTS;
		return NULL;
	}
	if (rep->nrcpts == ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 4;
		if ((r = realloc(rep->rcpts, ncap * sizeof(*r))) == NULL) {
			ps->failed = true;
			return NULL;
		}
		rep->rcpts = r;
		ps->cap = ncap;
	}
	r = &rep->rcpts[rep->nrcpts++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* lookup - the field called name[0..n), or F_NONE */
static enum field
lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < PB_NELEM(field_names); i++)
		if (strlen(field_names[i].name) == n &&
		    pb_ascii_casestr(name, n, field_names[i].name) == name)
			return field_names[i].f;
	return F_NONE;
}

/* first_word - length of the first white-space delimited word of v */
static size_t
first_word(const char *v, size_t n)
{
	size_t i;

	for (i = 0;
	     i < n && v[i] != ' ' && v[i] != '\t' && v[i] != '(' && v[i] != ';';
	     i++)
		;
	return i;
}

/* store - keep one unfolded field; false on ENOMEM */
static bool
store(struct parser *ps, enum field f, const char *v, size_t n)
{
	struct pb_rcpt *r;
	size_t w;

	pb_trim(&v, &n);
	if (f == F_REPORTING_MTA) {
		strip_type(&v, &n);
		return set(ps, &ps->rep->reporting_mta, v, n);
	}
	if (f == F_FINAL_RCPT || f == F_ORIG_RCPT) {
		/* a second Final- or Original-Recipient in one block starts
		 * a new recipient (blank lines are often missing) */
		if (ps->cur == NULL ||
		    (f == F_FINAL_RCPT && ps->cur->addr != NULL) ||
		    (f == F_ORIG_RCPT && ps->cur->alias != NULL)) {
			ps->cur = new_rcpt(ps);
			if (ps->cur == NULL)
				return !ps->failed;
		}
	}
	if (ps->cur == NULL) {
		/* a recipient field before the Final-Recipient of its block:
		 * keep it; end_block() drops the recipient if none follows */
		if ((ps->cur = new_rcpt(ps)) == NULL)
			return !ps->failed;
	}
	r = ps->cur;
	switch (f) {
	case F_FINAL_RCPT:
	case F_ORIG_RCPT:
		strip_type(&v, &n);
		strip_angles(&v, &n);
		return set(ps, f == F_FINAL_RCPT ? &r->addr : &r->alias, v, n);
	case F_ACTION:
		w = first_word(v, n);
		if (!set(ps, &r->action, v, w))
			return false;
		pb_ascii_lower_inplace(r->action);
		return true;
	case F_STATUS:
		w = first_word(v, n);
		if (!pb_is_status_code(v, w)) {
			ps->rep->defects |= PB_DEFECT_DSN;
			return true;
		}
		return set(ps, &r->status, v, w);
	case F_REMOTE_MTA:
		strip_type(&v, &n);
		return set(ps, &r->rhost, v, n);
	case F_DIAGNOSTIC:
		/* "X-Unix; 71" is a local program's exit status: the type
		 * says what the bare number is, so it stays */
		if (!is_exit_status(v, n))
			strip_type(&v, &n);
		if (!set(ps, &r->diagnostic, v, n))
			return false;
		from_iso2022jp(ps, &r->diagnostic);
		return true;
	case F_RETRY_UNTIL:
		return set(ps, &r->retry_until, v, n);
	default:
		return true;
	}
}

/* flush - hand the collected field to store() and reset it */
static bool
flush(struct parser *ps)
{
	const char *p = ps->field.data, *colon;
	size_t n = ps->field.len;
	enum field f;
	bool ok = true;

	if (ps->field.failed)
		return false;
	if (n == 0)
		return true;
	colon = memchr(p, ':', n);
	if (colon == NULL) {
		ps->rep->defects |= PB_DEFECT_DSN;
	} else if ((f = lookup(p, (size_t)(colon - p))) != F_NONE) {
		ok = store(ps, f, colon + 1, n - (size_t)(colon + 1 - p));
	}
	ps->field.len = 0;
	return ok;
}

/* end_block - close the recipient block; a block that named no
 * recipient is dropped */
static void
end_block(struct parser *ps)
{
	struct pb_rcpt *r = ps->cur;

	ps->cur = NULL;
	if (r == NULL || r->addr != NULL || r->alias != NULL)
		return;
	pb_rcpt_fini(r);
	ps->rep->nrcpts--;
}

/* add_line - feed one line (without its line end) to the parser */
static bool
add_line(struct parser *ps, const char *l, size_t n)
{
	const char *t = l;
	size_t tn = n;

	pb_trim(&t, &tn);
	if (tn == 0) { /* blank line: the block ends */
		if (!flush(ps))
			return false;
		end_block(ps);
		return true;
	}
	if ((l[0] == ' ' || l[0] == '\t') && ps->field.len > 0) {
		/* RFC 5322 folding: join with one space */
		if (ps->field.len + tn + 1 <= ps->lim->max_field_len + 64) {
			pb_buf_addc(&ps->field, ' ');
			pb_buf_add(&ps->field, t, tn);
		} else {
			ps->rep->defects |= PB_DEFECT_FIELD;
		}
		return !ps->field.failed;
	}
	if (!flush(ps))
		return false;
	if (tn > ps->lim->max_field_len + 64) {
		tn = ps->lim->max_field_len + 64;
		ps->rep->defects |= PB_DEFECT_FIELD;
	}
	pb_buf_add(&ps->field, t, tn);
	return !ps->field.failed;
}

/* finish_rcpt - derive reply code and fill absent fields with "" */
static bool
finish_rcpt(struct pb_rcpt *r)
{
	char code[12];
	char **fields[] = {&r->addr,       &r->alias,      &r->action,
	                   &r->status,     &r->reply,      &r->rhost,
	                   &r->diagnostic, &r->retry_until, &r->command};
	size_t i;

	if (r->command == NULL && r->diagnostic != NULL &&
	    (r->command = strdup(pb_smtp_command_find(
	         r->diagnostic, strlen(r->diagnostic)))) == NULL)
		return false;

	if (r->reply == NULL && r->diagnostic != NULL) {
		pb_dsn_find_reply(r->diagnostic, code);
		if (code[0] != '\0' && (r->reply = strdup(code)) == NULL)
			return false;
	}
	if (r->addr == NULL && r->alias != NULL &&
	    (r->addr = strdup(r->alias)) == NULL)
		return false;
	if (!pb_dsn_status_from_reply(r))
		return false;
	for (i = 0; i < PB_NELEM(fields); i++)
		if (*fields[i] == NULL && (*fields[i] = strdup("")) == NULL)
			return false;
	return true;
}

enum pb_status
pb_dsn_parse(const char *p, size_t len, const struct pb_limits *lim,
             struct pb_dsn_report **out)
{
	struct parser ps;
	size_t i = 0, j;
	bool ok = true;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	ps.lim = lim;
	pb_buf_init(&ps.field);
	if ((ps.rep = calloc(1, sizeof(*ps.rep))) == NULL)
		return PB_ENOMEM;
	while (ok && i < len) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - p) : len;
		size_t n = end - i;
		if (n > 0 && p[i + n - 1] == '\r')
			n--;
		ok = add_line(&ps, p + i, n);
		i = end + 1;
	}
	if (ok)
		ok = flush(&ps);
	if (ok)
		end_block(&ps);
	for (j = 0; ok && j < ps.rep->nrcpts; j++)
		ok = finish_rcpt(&ps.rep->rcpts[j]);
	if (ok && ps.rep->reporting_mta == NULL &&
	    (ps.rep->reporting_mta = strdup("")) == NULL)
		ok = false;
	pb_buf_fini(&ps.field);
	if (!ok || ps.failed) {
		pb_dsn_report_free(ps.rep);
		return PB_ENOMEM;
	}
	*out = ps.rep;
	return PB_OK;
}
