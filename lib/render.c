/*
 * render.c - apply a result's edits to the original message and return
 *            the whole new message (for the CLI and the tests; the
 *            milter sends the edits to the MTA instead).
 *
 * Input:     the original message and its result (borrowed).
 * Output:    a new buffer: header with the edits applied, blank line,
 *            the new body (or the old one).
 * Status:    PB_OK, PB_ENOMEM, PB_EINVAL.
 *
 * The header ends where the parser says (pb_header_end()).  The line
 * end of the first header line (CRLF, LF or CR) is used for added
 * header lines.  CHANGE replaces the first field of that name with
 * its continuation lines; ADD appends after the last field.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pb_int.h"

/* field_end - end of the field at p with continuation lines, in [p,end) */
static size_t
field_end(const char *msg, size_t p, size_t end, const char *eol)
{
	size_t el = strlen(eol);

	while (p < end) {
		const char *q = pb_ascii_casestr(msg + p, end - p, eol);
		if (q == NULL)
			return end;
		p = (size_t)(q - msg) + el;
		if (p >= end || (msg[p] != ' ' && msg[p] != '\t'))
			return p;
	}
	return end;
}

/* is_field - does the line at p start field name? */
static bool
is_field(const char *msg, size_t p, size_t end, const char *name)
{
	size_t n = strlen(name);

	return end - p > n && msg[p + n] == ':' &&
	       pb_ascii_casestr(msg + p, n, name) == msg + p;
}

/* add_field - "name: value" + eol */
static void
add_field(struct pb_buf *b, const struct pb_edit *e, const char *eol)
{
	pb_buf_adds(b, e->name);
	pb_buf_adds(b, ": ");
	pb_buf_adds(b, e->value);
	pb_buf_adds(b, eol);
}

enum pb_status
pb_result_render(const struct pb_result *res, const char *msg, size_t len,
                 char **out, size_t *outlen)
{
	const char *eol;
	struct pb_buf b;
	size_t he, blank, p, i;
	bool *done;

	if (out == NULL || outlen == NULL || res == NULL ||
	    (msg == NULL && len > 0))
		return PB_EINVAL;
	*out = NULL;
	*outlen = 0;
	eol = pb_eol_of(msg, len);
	he = pb_header_end(msg, len, &blank);
	if ((done = calloc(res->nedits + 1, sizeof(*done))) == NULL)
		return PB_ENOMEM;
	pb_buf_init(&b);
	for (p = 0; p < he;) {
		size_t fe = field_end(msg, p, he, eol);
		bool replaced = false;
		for (i = 0; res->changed && i < res->nedits && !replaced; i++) {
			const struct pb_edit *e = &res->edits[i];
			if (e->op != PB_EDIT_CHANGE || done[i] ||
			    !is_field(msg, p, he, e->name))
				continue;
			add_field(&b, e, eol);
			done[i] = replaced = true;
		}
		if (!replaced)
			pb_buf_add(&b, msg + p, fe - p);
		p = fe;
	}
	for (i = 0; res->changed && i < res->nedits; i++) {
		if (done[i])
			continue;
		/* a header cut off without its last line end (a lone CR
		 * ends no line where the line end is LF) */
		if (b.len > 0 && b.data[b.len - 1] != eol[strlen(eol) - 1])
			pb_buf_adds(&b, eol);
		add_field(&b, &res->edits[i], eol);
	}
	free(done);
	if (res->changed && res->body_replaced) {
		if (he == len)
			pb_buf_adds(&b, eol);
		else
			pb_buf_add(&b, msg + he, blank);
		pb_buf_add(&b, res->body, res->body_len);
	} else {
		pb_buf_add(&b, msg + he, len - he);
	}
	*outlen = b.len;
	if ((*out = pb_buf_take(&b)) == NULL)
		return PB_ENOMEM;
	return PB_OK;
}
