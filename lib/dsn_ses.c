/*
 * dsn_ses.c - Amazon SES bounce notifications.
 *
 * SES tells a sender about a bounce with a JSON document, mailed as the
 * whole text/plain body: either the notification itself
 *
 *	{"notificationType":"Bounce","bounce":{"bounceType":"Permanent",
 *	 "bouncedRecipients":[{"emailAddress":"a@example.org",
 *	 "action":"failed","status":"5.1.1",
 *	 "diagnosticCode":"smtp; 550 5.1.1 user unknown"}], ...}, ...}
 *
 * or, through SNS, that document as the string value of "Message" in
 * an envelope.  The recipients are written out as DSN fields and read
 * by pb_dsn_parse(), so limits and field rules are the report's own.
 *
 * Not a JSON parser: only the keys above are looked up, scanning
 * forward once, string-aware, in linear time.  Values are untrusted:
 * control characters become spaces so they cannot start a new field.
 */
#include "config.h"

#include <string.h>

#include "dsn_ses.h"
#include "pb_int.h"

/* skip_ws - past JSON white space */
static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* hexval - the value of hex digit c, or -1 */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* read_string - decode the JSON string whose opening quote is at p into
 * out; control characters and non-ASCII escapes become ' ' and '?'.
 * Returns the position after the closing quote, or NULL when there is
 * none before end */
static const char *
read_string(const char *p, const char *end, struct pb_buf *out)
{
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c == '\\' && p + 1 < end) {
			c = (unsigned char)*++p;
			if (c == 'u' && end - p > 4) {
				int v = 0, i, h;
				for (i = 1; i <= 4; i++) {
					if ((h = hexval(p[i])) < 0)
						break;
					v = v * 16 + h;
				}
				if (i <= 4)
					return NULL;
				p += 4;
				c = v >= 0x20 && v < 0x7f ? (unsigned char)v
				    : v < 0x20          ? ' '
				                        : '?';
			} else if (c == 'n' || c == 'r' || c == 't' ||
			           c == 'b' || c == 'f') {
				c = ' ';
			}
		}
		pb_buf_addc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	return NULL;
}

/* find_key - the position just after the ':' that follows "key" in
 * p[0..end), skipping string contents, or NULL */
static const char *
find_key(const char *p, const char *end, const char *key)
{
	size_t klen = strlen(key);

	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *s;
		if (q == NULL)
			return NULL;
		for (s = q + 1; s < end && *s != '"'; s++)
			if (*s == '\\')
				s++;
		if (s >= end)
			return NULL;
		p = skip_ws(s + 1, end);
		if ((size_t)(s - q - 1) == klen &&
		    memcmp(q + 1, key, klen) == 0 && p < end && *p == ':')
			return skip_ws(p + 1, end);
	}
	return NULL;
}

/* string_of - the string value of key in p[0..end) into out (reset
 * first); false when there is none */
static bool
string_of(const char *p, const char *end, const char *key, struct pb_buf *out)
{
	out->len = 0;
	if ((p = find_key(p, end, key)) == NULL || p >= end || *p != '"')
		return false;
	return read_string(p, end, out) != NULL && !out->failed;
}

/* value_end - the end of the object or array that opens at p, or NULL */
static const char *
value_end(const char *p, const char *end)
{
	size_t depth = 0;

	for (; p < end; p++) {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return NULL;
}

/* add_field - "Name: value\n" when value is not empty */
static void
add_field(struct pb_buf *dsn, const char *name, const char *prefix,
          const struct pb_buf *v)
{
	if (v->len == 0)
		return;
	pb_buf_adds(dsn, name);
	pb_buf_adds(dsn, prefix);
	pb_buf_add(dsn, v->data, v->len);
	pb_buf_addc(dsn, '\n');
}

/* add_recipient - the DSN fields of one bouncedRecipients object */
static void
add_recipient(struct pb_buf *dsn, const char *o, const char *end,
              struct pb_buf *v)
{
	pb_buf_addc(dsn, '\n');
	if (string_of(o, end, "emailAddress", v))
		add_field(dsn, "Final-Recipient", ": rfc822; ", v);
	if (!string_of(o, end, "action", v))
		pb_buf_adds(v, "failed");
	add_field(dsn, "Action", ": ", v);
	if (string_of(o, end, "status", v))
		add_field(dsn, "Status", ": ", v);
	if (string_of(o, end, "diagnosticCode", v))
		add_field(dsn, "Diagnostic-Code", ": ", v);
}

/* to_dsn - the DSN fields of the notification in t[0..n), or false when
 * it is not a bounce notification */
static bool
to_dsn(const char *t, size_t n, struct pb_buf *dsn)
{
	const char *end = t + n, *p, *arr;
	struct pb_buf v;
	bool ok = false;

	pb_buf_init(&v);
	if (!string_of(t, end, "notificationType", &v) || v.len != 6 ||
	    memcmp(v.data, "Bounce", 6) != 0 ||
	    (p = find_key(t, end, "bouncedRecipients")) == NULL ||
	    *p != '[' || (arr = value_end(p, end)) == NULL)
		goto out;
	pb_buf_adds(dsn, "Reporting-MTA: ");
	if (string_of(t, end, "reportingMTA", &v))
		pb_buf_add(dsn, v.data, v.len);
	else
		pb_buf_adds(dsn, "dns; amazonses.com");
	pb_buf_addc(dsn, '\n');
	for (p = skip_ws(p + 1, arr); p < arr && *p == '{';) {
		const char *o = value_end(p, arr);
		if (o == NULL)
			break;
		add_recipient(dsn, p, o, &v);
		p = skip_ws(o, arr);
		if (p < arr && *p == ',')
			p = skip_ws(p + 1, arr);
	}
	ok = !dsn->failed && !v.failed;
out:
	pb_buf_fini(&v);
	return ok;
}

enum pb_status
pb_dsn_ses_parse(const char *t, size_t n, const struct pb_limits *lim,
                 struct pb_dsn_report **out)
{
	const char *end = t + n, *p = skip_ws(t, end);
	struct pb_buf inner, dsn;
	enum pb_status st = PB_OK;

	*out = NULL;
	if (p == end || *p != '{')
		return PB_OK;
	pb_buf_init(&inner);
	pb_buf_init(&dsn);
	/* the SNS envelope: the notification is the string "Message" */
	if (find_key(p, end, "notificationType") == NULL &&
	    string_of(p, end, "Message", &inner) && inner.len > 0) {
		p = inner.data;
		end = inner.data + inner.len;
	}
	if (inner.failed)
		st = PB_ENOMEM;
	else if (to_dsn(p, (size_t)(end - p), &dsn))
		st = pb_dsn_parse(dsn.data, dsn.len, lim, out);
	else if (dsn.failed)
		st = PB_ENOMEM;
	pb_buf_fini(&inner);
	pb_buf_fini(&dsn);
	return st;
}
