/*
 * rewrite.c - splice the explanation into the message and list the
 *             header edits, leaving every other byte as it was
 *             (DESIGN.md section 5).
 *
 * Input:     the parsed message with its part offsets, the detection
 *            result, the rendered explanation (all borrowed).
 * Output:    res->edits (header edits, in order), res->body (the whole
 *            new body, line ends as in the input), res->changed.
 * Ownership: the new strings belong to res (pb_result_free()).
 * Status:    PB_OK, PB_ENOMEM, PB_EINTERNAL.  A part that cannot be
 *            re-encoded is left alone (PB_DEFECT_ENCODING) and the
 *            message still gets its marker.
 * Limits:    the new body is at most the old one plus the explanation
 *            and a base64/quoted-printable expansion of one part.
 *
 * Per text part: decode the content (GMime), put the explanation before
 * it (plain) or after the <body> tag (HTML), and encode it again.  The
 * part keeps its transfer encoding and charset when the explanation
 * fits them; 7bit, 8bit and quoted-printable content is not re-encoded
 * at all: the encoded explanation is put before the original bytes.
 * Otherwise the part becomes UTF-8 with quoted-printable.  Everything
 * outside the rewritten parts is copied byte for byte.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "pb_int.h"
#include "rewrite.h"

/* One replaced range of the input. */
struct splice {
	size_t start, end; /* content range [start, end) to replace */
	size_t hs, he;     /* the part's header fields [hs, he), without
	                      the blank line; hs == he when it has none */
	bool top;          /* the part is the whole message */
	char *with;        /* new bytes (new) */
	size_t len;
	char *ctype; /* new Content-Type value when the header changes */
	char *cte;   /* new Content-Transfer-Encoding value, or NULL */
};

/* is_ascii - are all bytes 7-bit and not NUL? */
static bool
is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return false;
	return true;
}

/* ascii_compatible - may ASCII text be put before content in charset
 * cs without changing its meaning? */
static bool
ascii_compatible(const char *cs)
{
	static const char *const bad[] = {"utf-16", "utf-32", "ucs-2",
	                                  "ucs-4",  "utf-7",  "utf16",
	                                  "utf32",  "unicode"};
	size_t i;

	for (i = 0; i < PB_NELEM(bad); i++)
		if (strncmp(cs, bad[i], strlen(bad[i])) == 0)
			return false;
	return true;
}

/* is_utf8_name - does cs name UTF-8? */
static bool
is_utf8_name(const char *cs)
{
	return strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0;
}

/* add_eol - append s to b with every "\n" turned into eol */
static void
add_eol(struct pb_buf *b, const char *s, size_t n, const char *eol)
{
	size_t i, start = 0;

	if (strcmp(eol, "\n") == 0) {
		pb_buf_add(b, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		pb_buf_add(b, s + start, i - start);
		pb_buf_adds(b, eol);
		start = i + 1;
	}
	pb_buf_add(b, s + start, n - start);
}

/* add_qp - append quoted-printable s[0..n) (LF line ends) to b with
 * every "\n" turned into eol and a '-' that starts a line written as
 * "=2D": decoded text (a bounce's) may hold "--boundary" anywhere, and
 * the encoder's soft line breaks could put it at a line start, where a
 * MIME parser would take it for a boundary (RFC 2046 5.1.1).  Such a
 * line grows by two bytes, past 76 at most to 78. */
static void
add_qp(struct pb_buf *b, const char *s, size_t n, const char *eol)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n')
			continue;
		if (start < i && s[start] == '-') {
			pb_buf_adds(b, "=2D");
			start++;
		}
		pb_buf_add(b, s + start, i - start);
		if (i < n)
			pb_buf_adds(b, eol);
		start = i + 1;
	}
}

/* encode - append s[0..n) encoded with enc (LF line ends from GMime,
 * then eol) */
static void
encode(struct pb_buf *b, const char *s, size_t n, GMimeContentEncoding enc,
       const char *eol)
{
	GMimeEncoding state;
	size_t outlen;
	char *out;

	g_mime_encoding_init_encode(&state, enc);
	outlen = g_mime_encoding_outlen(&state, n) + 16;
	if ((out = malloc(outlen)) == NULL) {
		b->failed = true;
		return;
	}
	outlen = g_mime_encoding_flush(&state, s, n, out);
	/* the content is followed by the line end before the boundary */
	while (outlen > 0 && out[outlen - 1] == '\n')
		outlen--;
	if (enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
		add_qp(b, out, outlen, eol);
	else
		add_eol(b, out, outlen, eol);
	free(out);
}

/* html_insert_at - offset just after the <body ...> tag of html, or 0 */
static size_t
html_insert_at(const char *html, size_t n)
{
	const char *p = pb_ascii_casestr(html, n, "<body");
	const char *gt;

	if (p == NULL)
		return 0;
	gt = memchr(p, '>', n - (size_t)(p - html));
	return gt ? (size_t)(gt + 1 - html) : 0;
}

/* compose - explanation ex put into decoded text d[0..dn) */
static void
compose(struct pb_buf *b, const char *ex, const char *d, size_t dn, bool html,
        const char *eol)
{
	size_t at = html ? html_insert_at(d, dn) : 0;

	pb_buf_add(b, d, at);
	add_eol(b, ex, strlen(ex), eol);
	pb_buf_add(b, d + at, dn - at);
}

/* compose_encoded - the explanation put into d[0..dn), encoded with enc
 * and appended to b (b->failed on ENOMEM) */
static void
compose_encoded(struct pb_buf *b, const char *ex, const char *d, size_t dn,
                bool html, GMimeContentEncoding enc, const char *eol)
{
	struct pb_buf c;

	pb_buf_init(&c);
	compose(&c, ex, d, dn, html, "\n");
	if (!c.failed)
		encode(b, c.data, c.len, enc, eol);
	b->failed |= c.failed;
	pb_buf_fini(&c);
}

/* enc_of - GMime encoding of a CTE name (NULL is 7bit) */
static GMimeContentEncoding
enc_of(const char *cte)
{
	return cte ? g_mime_content_encoding_from_string(cte)
	           : GMIME_CONTENT_ENCODING_7BIT;
}

/* valid_charset - is cs a plain MIME charset token (RFC 2978: letters,
 * digits and a few marks, at most 40 characters)?  A charset from the
 * bounce may hold CR or LF after RFC 2231 decoding. */
static bool
valid_charset(const char *cs)
{
	size_t i;

	for (i = 0; cs[i] != '\0'; i++)
		if (i >= 40 || !((cs[i] >= 'a' && cs[i] <= 'z') ||
		                 (cs[i] >= 'A' && cs[i] <= 'Z') ||
		                 (cs[i] >= '0' && cs[i] <= '9') ||
		                 strchr("!#$%&'+^_`{}~.-", cs[i]) != NULL))
			return false;
	return i > 0;
}

/* splice_part - compute the replacement of text part idx.  Returns
 * PB_OK with sp->with set, PB_OK with sp->with NULL when the part must
 * stay as it is (defect recorded), or PB_ENOMEM. */
static enum pb_status
splice_part(const struct pb_msg *msg, size_t idx, const char *ex, bool html,
            struct splice *sp, unsigned *defects)
{
	const struct pb_part *p = &msg->parts[idx];
	const char *cs = p->charset ? p->charset : "us-ascii";
	GMimeContentEncoding enc = enc_of(p->cte);
	struct pb_buf b;
	char *d = NULL, *u = NULL;
	size_t dn, un, exlen = strlen(ex);
	bool ex_ascii = is_ascii(ex, exlen);
	enum pb_status st;

	memset(sp, 0, sizeof(*sp));
	if (!valid_charset(cs)) {
		/* it would be written into a new Content-Type header */
		*defects |= PB_DEFECT_ENCODING;
		return PB_OK;
	}
	if (p->body_start < 0 || p->body_end < p->body_start)
		return PB_OK;
	sp->start = (size_t)p->body_start;
	sp->end = (size_t)p->body_end;
	sp->top = idx == 0;
	sp->he = sp->start;
	if (sp->he >= 2 && msg->buf[sp->he - 2] == '\r')
		sp->he -= 2;
	else if (sp->he >= 1)
		sp->he -= 1;
	sp->hs = p->hdr_start >= 0 && (size_t)p->hdr_start <= sp->he
	             ? (size_t)p->hdr_start
	             : sp->he;
	pb_buf_init(&b);

	/* 1. no re-encoding: the encoded explanation goes first */
	if (!html && (ex_ascii || is_utf8_name(cs)) && ascii_compatible(cs) &&
	    (enc == GMIME_CONTENT_ENCODING_7BIT ||
	     enc == GMIME_CONTENT_ENCODING_8BIT ||
	     enc == GMIME_CONTENT_ENCODING_BINARY ||
	     enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE) &&
	    (ex_ascii || enc != GMIME_CONTENT_ENCODING_7BIT)) {
		if (enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE) {
			encode(&b, ex, exlen, enc, msg->eol);
			pb_buf_adds(&b, msg->eol);
		} else {
			add_eol(&b, ex, exlen, msg->eol);
		}
		pb_buf_add(&b, msg->buf + sp->start, sp->end - sp->start);
		goto done;
	}
	if (enc == GMIME_CONTENT_ENCODING_DEFAULT ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		*defects |= PB_DEFECT_ENCODING;
		return PB_OK;
	}
	st = pb_msg_part_decode(msg, idx, msg->len * 2 + 1024, &d, &dn);
	if (st == PB_ENOMEM)
		return st;
	if (st != PB_OK) {
		*defects |= PB_DEFECT_ENCODING;
		return PB_OK;
	}
	/* 2. same charset, new encoding of the whole content */
	if ((ex_ascii && ascii_compatible(cs)) || is_utf8_name(cs)) {
		if (enc == GMIME_CONTENT_ENCODING_7BIT &&
		    !(ex_ascii && is_ascii(d, dn)))
			enc = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
		if (enc == GMIME_CONTENT_ENCODING_7BIT ||
		    enc == GMIME_CONTENT_ENCODING_8BIT ||
		    enc == GMIME_CONTENT_ENCODING_BINARY) {
			/* HTML into 7bit/8bit: keep the bytes */
			compose(&b, ex, d, dn, html, msg->eol);
		} else {
			compose_encoded(&b, ex, d, dn, html, enc, msg->eol);
			if (enc_of(p->cte) != enc)
				sp->cte = strdup("quoted-printable");
		}
		if (sp->cte != NULL &&
		    (sp->ctype = g_strdup_printf("%s/%s; charset=%s", p->type,
		                                 p->subtype, cs)) == NULL)
			b.failed = true;
		goto done;
	}
	/* 3. another charset: convert everything to UTF-8, quoted-printable */
	if ((u = pb_to_utf8(d, dn, cs, &un)) == NULL) {
		free(d);
		*defects |= PB_DEFECT_ENCODING;
		return PB_OK;
	}
	compose_encoded(&b, ex, u, un, html,
	                GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, msg->eol);
	sp->cte = strdup("quoted-printable");
	sp->ctype =
	    g_strdup_printf("%s/%s; charset=utf-8", p->type, p->subtype);
	if (sp->cte == NULL || sp->ctype == NULL)
		b.failed = true;
done:
	free(d);
	free(u);
	if (b.failed) {
		pb_buf_fini(&b);
		free(sp->cte);
		g_free(sp->ctype);
		memset(sp, 0, sizeof(*sp));
		return PB_ENOMEM;
	}
	sp->len = b.len;
	sp->with = pb_buf_take(&b);
	return sp->with ? PB_OK : PB_ENOMEM;
}

/* header_line_end - end of the header field starting at p (after its
 * continuation lines and final line end), within [p, end) */
static const char *
header_field_end(const char *p, const char *end)
{
	const char *nl;

	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return end;
		p = nl + 1;
		if (p >= end || (*p != ' ' && *p != '\t'))
			return p;
	}
}

/* starts_field - does the line at p start the header field name? */
static bool
starts_field(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(end - p) > n && p[n] == ':' &&
	       pb_ascii_casestr(p, n, name) == p;
}

/* new_part_header - append the part header [hs, he) with Content-Type
 * and Content-Transfer-Encoding replaced by the splice's values */
static void
new_part_header(struct pb_buf *b, const char *hs, const char *he,
                const struct splice *sp, const char *eol)
{
	const char *p = hs;

	while (p < he) {
		const char *fe = header_field_end(p, he);
		if (!starts_field(p, he, "Content-Type") &&
		    !starts_field(p, he, "Content-Transfer-Encoding"))
			pb_buf_add(b, p, (size_t)(fe - p));
		p = fe;
	}
	pb_buf_adds(b, "Content-Type: ");
	pb_buf_adds(b, sp->ctype);
	pb_buf_adds(b, eol);
	if (sp->cte != NULL) {
		pb_buf_adds(b, "Content-Transfer-Encoding: ");
		pb_buf_adds(b, sp->cte);
		pb_buf_adds(b, eol);
	}
}

/* add_edit - append a header edit; false on ENOMEM */
static bool
add_edit(struct pb_result *res, enum pb_edit_op op, const char *name,
         const char *value)
{
	struct pb_edit *e = realloc(res->edits, (res->nedits + 1) * sizeof(*e));

	if (e == NULL)
		return false;
	res->edits = e;
	e = &e[res->nedits];
	e->op = op;
	e->name = strdup(name);
	e->value = strdup(value);
	res->nedits++;
	return e->name != NULL && e->value != NULL;
}

/* has_close - does b[0..n) hold the closing delimiter "--bd--" at the
 * start of a line? */
static bool
has_close(const char *b, size_t n, const char *bd)
{
	size_t bl = strlen(bd), i = 0;

	while (i + bl + 4 <= n) {
		const char *nl;
		if (b[i] == '-' && b[i + 1] == '-' &&
		    memcmp(b + i + 2, bd, bl) == 0 && b[i + 2 + bl] == '-' &&
		    b[i + 3 + bl] == '-')
			return true;
		if ((nl = memchr(b + i, '\n', n - i)) == NULL)
			break;
		i = (size_t)(nl - b) + 1;
	}
	return false;
}

/* close_multipart - bounces are often cut short (the returned message
 * is truncated) before the closing delimiter of their top multipart:
 * add it, so that the rewrite is well-formed MIME even when the input
 * was not.  Parsers end the last part at the end of the input anyway;
 * the delimiter only says so. */
static void
close_multipart(struct pb_buf *b, const struct pb_msg *msg)
{
	const char *bd;

	if (msg->nparts == 0 || !GMIME_IS_MULTIPART(msg->parts[0].obj))
		return;
	bd = g_mime_multipart_get_boundary(
	    (GMimeMultipart *)msg->parts[0].obj);
	if (bd == NULL || bd[0] == '\0' || b->data == NULL ||
	    has_close(b->data, b->len, bd))
		return;
	/* the line end before a delimiter belongs to it: the last part
	 * keeps all its bytes, a final line end too */
	pb_buf_adds(b, msg->eol);
	pb_buf_adds(b, "--");
	pb_buf_adds(b, bd);
	pb_buf_adds(b, "--");
	pb_buf_adds(b, msg->eol);
}

/* build_body - the new body from the input and the splices (in input
 * order), its top multipart closed; false on ENOMEM */
static bool
build_body(const struct pb_msg *msg, const struct splice *sp, size_t nsp,
           struct pb_result *res)
{
	struct pb_buf b;
	size_t pos = msg->body_off, i;

	pb_buf_init(&b);
	for (i = 0; i < nsp; i++) {
		if (sp[i].with == NULL || sp[i].start < pos)
			continue;
		if (sp[i].ctype != NULL && !sp[i].top) {
			pb_buf_add(&b, msg->buf + pos, sp[i].hs - pos);
			new_part_header(&b, msg->buf + sp[i].hs,
			                msg->buf + sp[i].he, &sp[i], msg->eol);
			pos = sp[i].he;
		}
		pb_buf_add(&b, msg->buf + pos, sp[i].start - pos);
		pb_buf_add(&b, sp[i].with, sp[i].len);
		pos = sp[i].end;
	}
	pb_buf_add(&b, msg->buf + pos, msg->len - pos);
	close_multipart(&b, msg);
	res->body_len = b.len;
	res->body = pb_buf_take(&b);
	return res->body != NULL;
}

/* The marker lists at most about this many status codes (8 bytes each,
 * with the comma) and every reason name once: under 600 bytes. */
#define PB_MARKER_MAX_STATUS 20

/* add_unique - append s to the comma list b unless already there */
static void
add_unique(struct pb_buf *b, const char *s)
{
	size_t n = strlen(s);
	const char *p = b->data;

	if (n == 0)
		return;
	while (p != NULL && *p != '\0') {
		size_t w = strcspn(p, ",");
		if (w == n && memcmp(p, s, n) == 0)
			return;
		p += w;
		if (*p == ',')
			p++;
	}
	if (b->len > 0)
		pb_buf_addc(b, ',');
	pb_buf_adds(b, s);
}

/* summary_lists - initialise reasons and statuses and fill them with
 * the comma lists of the failed recipients' distinct reason names and
 * well-formed status codes; at most PB_MARKER_MAX_STATUS statuses, so
 * that a header or log line stays short (failed flags on ENOMEM) */
static void
summary_lists(const struct pb_result *res, struct pb_buf *reasons,
              struct pb_buf *statuses)
{
	size_t i;

	pb_buf_init(reasons);
	pb_buf_init(statuses);
	for (i = 0; i < res->nrcpts; i++) {
		const struct pb_rcpt *r = &res->rcpts[i];
		if (!r->failed)
			continue;
		add_unique(reasons, pb_reason_name(r->reason));
		if (pb_is_status_code(r->status, strlen(r->status)) &&
		    statuses->len < PB_MARKER_MAX_STATUS * 8)
			add_unique(statuses, r->status);
	}
}

enum pb_status
pb_result_summary(const struct pb_result *res, char **reasons, char **statuses)
{
	struct pb_buf r, s;

	*reasons = *statuses = NULL;
	summary_lists(res, &r, &s);
	*reasons = pb_buf_take(&r);
	*statuses = pb_buf_take(&s);
	if (*reasons == NULL || *statuses == NULL) {
		free(*reasons);
		free(*statuses);
		*reasons = *statuses = NULL;
		return PB_ENOMEM;
	}
	return PB_OK;
}

char *
pb_rewrite_marker(const struct pb_result *res)
{
	struct pb_buf reasons, statuses, out;

	pb_buf_init(&out);
	summary_lists(res, &reasons, &statuses);
	pb_buf_adds(&out, "kind=");
	pb_buf_adds(&out, pb_kind_name(res->kind));
	if (reasons.len > 0) {
		pb_buf_adds(&out, "; reason=");
		pb_buf_adds(&out, reasons.data);
	}
	if (statuses.len > 0) {
		pb_buf_adds(&out, "; status=");
		pb_buf_adds(&out, statuses.data);
	}
	out.failed |= reasons.failed || statuses.failed;
	pb_buf_fini(&reasons);
	pb_buf_fini(&statuses);
	return pb_buf_take(&out);
}

/* splice_fini - free a splice */
static void
splice_fini(struct splice *sp)
{
	free(sp->with);
	free(sp->cte);
	g_free(sp->ctype);
	memset(sp, 0, sizeof(*sp));
}

/* top_edits - header edits for a single-part message whose encoding
 * changed; false on ENOMEM */
static bool
top_edits(const struct pb_msg *msg, const struct splice *sp,
          struct pb_result *res)
{
	if (!sp->top || sp->ctype == NULL)
		return true;
	if (!add_edit(res, PB_EDIT_CHANGE, "Content-Type", sp->ctype))
		return false;
	if (sp->cte == NULL)
		return true;
	return add_edit(res,
	                pb_msg_has_header(msg, "Content-Transfer-Encoding")
	                    ? PB_EDIT_CHANGE
	                    : PB_EDIT_ADD,
	                "Content-Transfer-Encoding", sp->cte);
}

enum pb_status
pb_rewrite(const struct pb_msg *msg, const struct pb_detect *det,
           const struct pb_explanation *ex, enum pb_mode mode,
           struct pb_result *res)
{
	struct splice sp[2];
	size_t nsp = 0, i;
	enum pb_status st = PB_OK;
	bool ok = true;

	memset(sp, 0, sizeof(sp));
	if (mode == PB_MODE_DRY_RUN || res->marker == NULL)
		return PB_OK;
	if (mode == PB_MODE_REWRITE) {
		if (det->text_plain < 0 && det->text_html < 0)
			res->defects |= PB_DEFECT_NO_TEXT_PART;
		if (det->text_plain >= 0)
			st = splice_part(msg, (size_t)det->text_plain, ex->text,
			                 false, &sp[nsp++], &res->defects);
		if (st == PB_OK && det->text_html >= 0)
			st = splice_part(msg, (size_t)det->text_html, ex->html,
			                 true, &sp[nsp++], &res->defects);
		if (nsp == 2 && sp[0].start > sp[1].start) {
			struct splice t = sp[0];
			sp[0] = sp[1];
			sp[1] = t;
		}
	}
	for (i = 0; st == PB_OK && ok && i < nsp; i++)
		ok = top_edits(msg, &sp[i], res);
	if (st == PB_OK && ok)
		ok = add_edit(res, PB_EDIT_ADD, PB_MARKER_HEADER, res->marker);
	for (i = 0; st == PB_OK && ok && i < nsp; i++)
		if (sp[i].with != NULL) {
			res->body_replaced = true;
			break;
		}
	if (st == PB_OK && ok && res->body_replaced)
		ok = build_body(msg, sp, nsp, res);
	for (i = 0; i < nsp; i++)
		splice_fini(&sp[i]);
	if (st == PB_OK && !ok)
		st = PB_ENOMEM;
	if (st != PB_OK)
		return st;
	res->changed = true;
	return PB_OK;
}
