/*
 * msg_parse.c - parse a message into a flat MIME tree with GMime 3.
 *
 * Input:     the message bytes (borrowed; must outlive the pb_msg).
 * Output:    struct pb_msg: the parts in pre-order with their content
 *            types, parameters and, for leaf parts, the byte offsets of
 *            their header and content in the input, so that rewrite.c
 *            can splice new text in and leave every other byte as it was.
 * Ownership: caller owns the pb_msg; release with pb_msg_free().  It
 *            holds the GMime objects and views into the input.
 * Status:    PB_OK (also for unparseable input: an empty tree and the
 *            PB_DEFECT_MIME flag), PB_ENOMEM.
 * Limits:    limits.max_mime_depth levels and limits.max_parts parts are
 *            walked; deeper or further parts are ignored and flagged.
 *            message/rfc822, message/global and message/news parts (the
 *            returned original) are leaves: GMime scans past them for
 *            the enclosing boundary and builds nothing inside them.
 * Next:      dsn_detect.c looks at the tree.
 *
 * The offsets come from GMime's persistent-stream mode: the content of a
 * leaf part is then a substream of the input whose bounds are the exact
 * byte range of the encoded content.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "pb_int.h"
#include "msg_parse.h"

/* lower_dup - returns new: lower-case copy of s, NULL for NULL or ENOMEM */
static char *
lower_dup(const char *s)
{
	char *d;

	if (s == NULL || (d = strdup(s)) == NULL)
		return NULL;
	pb_ascii_lower_inplace(d);
	return d;
}

/* find_body - offset of the first byte after the header's blank line */
static size_t
find_body(const char *buf, size_t len)
{
	size_t blank, he = pb_header_end(buf, len, &blank);

	return he + blank;
}

/* add_part - append a part for obj; returns its index or -1 on ENOMEM */
static long
add_part(struct pb_msg *msg, size_t *cap, GMimeObject *obj, int parent,
         unsigned depth)
{
	struct pb_part *p, *np;
	GMimeContentType *ct;
	GMimeHeaderList *hl;
	const char *cte;

	if (msg->nparts == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		if ((np = realloc(msg->parts, ncap * sizeof(*np))) == NULL)
			return -1;
		msg->parts = np;
		*cap = ncap;
	}
	p = &msg->parts[msg->nparts];
	memset(p, 0, sizeof(*p));
	p->parent = parent;
	p->depth = depth;
	p->obj = obj;
	p->hdr_start = p->body_start = p->body_end = -1;
	msg->nparts++;

	ct = g_mime_object_get_content_type(obj);
	p->type = lower_dup(ct ? g_mime_content_type_get_media_type(ct) : NULL);
	p->subtype =
	    lower_dup(ct ? g_mime_content_type_get_media_subtype(ct) : NULL);
	if (p->type == NULL)
		p->type = strdup("text");
	if (p->subtype == NULL)
		p->subtype = strdup("plain");
	if (p->type == NULL || p->subtype == NULL)
		return -1;
	if (ct != NULL) {
		const char *v;
		if ((v = g_mime_content_type_get_parameter(ct, "charset")) &&
		    (p->charset = lower_dup(v)) == NULL)
			return -1;
		if ((v = g_mime_content_type_get_parameter(ct,
		                                           "report-type")) &&
		    (p->report_type = lower_dup(v)) == NULL)
			return -1;
	}
	p->has_ctype = g_mime_object_get_header(obj, "Content-Type") != NULL;
	cte = g_mime_object_get_header(obj, "Content-Transfer-Encoding");
	if (cte != NULL) {
		while (*cte == ' ' || *cte == '\t')
			cte++;
		if ((p->cte = lower_dup(cte)) == NULL)
			return -1;
		p->cte[strcspn(p->cte, " \t\r\n;(")] = '\0';
	}
	hl = g_mime_object_get_header_list(obj);
	if (hl != NULL && g_mime_header_list_get_count(hl) > 0)
		p->hdr_start = g_mime_header_get_offset(
		    g_mime_header_list_get_header_at(hl, 0));
	if (GMIME_IS_PART(obj)) {
		GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));
		GMimeStream *s = w ? g_mime_data_wrapper_get_stream(w) : NULL;
		if (s != NULL && s->bound_start >= 0 &&
		    s->bound_end >= s->bound_start &&
		    (size_t)s->bound_end <= msg->len) {
			p->body_start = s->bound_start;
			p->body_end = s->bound_end;
		}
	}
	return (long)(msg->nparts - 1);
}

/* walk - add obj and, for multiparts, its children; false on ENOMEM */
static bool
walk(struct pb_msg *msg, size_t *cap, GMimeObject *obj, int parent,
     unsigned depth, const struct pb_limits *lim)
{
	long idx;
	int i, n;

	if (msg->nparts >= lim->max_parts) {
		msg->defects |= PB_DEFECT_PARTS;
		return true;
	}
	if ((idx = add_part(msg, cap, obj, parent, depth)) < 0)
		return false;
	if (!GMIME_IS_MULTIPART(obj))
		return true;
	if (depth + 1 > lim->max_mime_depth) {
		msg->defects |= PB_DEFECT_DEPTH;
		return true;
	}
	n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
	for (i = 0; i < n; i++) {
		GMimeObject *c =
		    g_mime_multipart_get_part(GMIME_MULTIPART(obj), i);
		if (!walk(msg, cap, c, (int)idx, depth + 1, lim))
			return false;
	}
	return true;
}

enum pb_status
pb_msg_parse(const char *buf, size_t len, const struct pb_limits *lim,
             struct pb_msg **out)
{
	struct pb_msg *msg;
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeObject *top;
	const char *nl;
	size_t cap = 0;

	*out = NULL;
	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		return PB_ENOMEM;
	msg->buf = buf;
	msg->len = len;
	msg->body_off = find_body(buf, len);
	msg->eol = (msg->body_off >= 2 && buf[msg->body_off - 2] == '\r')
	               ? "\r\n"
	               : "\n";

	stream = g_mime_stream_mem_new_with_buffer(buf, len);
	/* an mbox "From " line is not a header field: GMime is lenient
	 * with it only in a message's header, so start after it (offsets
	 * stay those of buf) */
	if (len >= 5 && memcmp(buf, "From ", 5) == 0 &&
	    (nl = memchr(buf, '\n', len)) != NULL)
		g_mime_stream_seek(stream, nl + 1 - buf, GMIME_STREAM_SEEK_SET);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, TRUE);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	/* as a part, not a GMimeMessage: the top-level header fields are
	 * kept but not interpreted (no address lists, dates) */
	top = g_mime_parser_construct_part(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	msg->root = top;
	if (top == NULL) {
		msg->defects |= PB_DEFECT_MIME;
		*out = msg;
		return PB_OK;
	}
	if (!walk(msg, &cap, top, -1, 0, lim)) {
		pb_msg_free(msg);
		return PB_ENOMEM;
	}
	*out = msg;
	return PB_OK;
}

void
pb_msg_free(struct pb_msg *msg)
{
	size_t i;

	if (msg == NULL)
		return;
	for (i = 0; i < msg->nparts; i++) {
		struct pb_part *p = &msg->parts[i];
		free(p->type);
		free(p->subtype);
		free(p->charset);
		free(p->report_type);
		free(p->cte);
	}
	free(msg->parts);
	if (msg->root != NULL)
		g_object_unref(msg->root);
	free(msg);
}

char *
pb_msg_header(const struct pb_msg *msg, const char *name)
{
	const char *v;
	size_t n;

	if (msg->root == NULL)
		return NULL;
	v = g_mime_object_get_header(GMIME_OBJECT(msg->root), name);
	if (v == NULL)
		return NULL;
	n = strlen(v);
	pb_trim(&v, &n);
	return pb_strndup_cap(v, n, n, NULL);
}

bool
pb_msg_has_header(const struct pb_msg *msg, const char *name)
{
	return msg->root != NULL &&
	       g_mime_object_get_header(GMIME_OBJECT(msg->root), name) != NULL;
}

bool
pb_msg_part_raw(const struct pb_msg *msg, size_t idx, const char **p,
                size_t *n)
{
	const struct pb_part *pt = &msg->parts[idx];
	const char *cte = pt->cte;

	if (pt->body_start < 0 ||
	    !(cte == NULL || strcmp(cte, "7bit") == 0 ||
	      strcmp(cte, "8bit") == 0 || strcmp(cte, "binary") == 0))
		return false;
	*p = msg->buf + pt->body_start;
	*n = (size_t)(pt->body_end - pt->body_start);
	return true;
}

bool
pb_msg_is_type(const struct pb_msg *msg, size_t idx, const char *type,
               const char *subtype)
{
	return idx < msg->nparts && strcmp(msg->parts[idx].type, type) == 0 &&
	       strcmp(msg->parts[idx].subtype, subtype) == 0;
}

enum pb_status
pb_msg_part_decode(const struct pb_msg *msg, size_t idx, size_t cap, char **out,
                   size_t *outlen)
{
	GMimeDataWrapper *w;
	GMimeStream *mem;
	GByteArray *arr;
	enum pb_status st = PB_OK;
	char *s;

	*out = NULL;
	*outlen = 0;
	if (idx >= msg->nparts || !GMIME_IS_PART(msg->parts[idx].obj))
		return PB_EINVAL;
	w = g_mime_part_get_content(GMIME_PART(msg->parts[idx].obj));
	if (w == NULL) {
		*out = strdup("");
		return *out ? PB_OK : PB_ENOMEM;
	}
	arr = g_byte_array_new();
	mem = g_mime_stream_mem_new_with_byte_array(arr);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	if (g_mime_data_wrapper_write_to_stream(w, mem) < 0)
		st = PB_EINTERNAL;
	else if (arr->len > cap)
		st = PB_ELIMIT;
	else if ((s = malloc(arr->len + 1)) == NULL)
		st = PB_ENOMEM;
	else {
		if (arr->len > 0)
			memcpy(s, arr->data, arr->len);
		s[arr->len] = '\0';
		*out = s;
		*outlen = arr->len;
	}
	g_object_unref(mem);
	g_byte_array_free(arr, TRUE);
	return st;
}

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

/* Re-registering a type leaves GMime's first record of it unreachable
 * (16 bytes each, once per process: GMime's registry has no way to free
 * it).  Under AddressSanitizer those records are made where the leak
 * checker ignores them; tests/valgrind.supp names them for memcheck. */
#if defined(__SANITIZE_ADDRESS__)
#define PB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PB_ASAN 1
#endif
#endif
#ifdef PB_ASAN
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK_OFF() __lsan_disable()
#define LEAK_CHECK_ON() __lsan_enable()
#else
#define LEAK_CHECK_OFF() ((void)0)
#define LEAK_CHECK_ON() ((void)0)
#endif

/* gmime_start - initialise GMime once per process.  An enclosed message
 * (the returned original) is a leaf to us: registered as a plain part,
 * GMime only scans past it for the enclosing boundary instead of building
 * an object for each of its headers and parts, which we never read. */
static void
gmime_start(void)
{
	static const char *const enclosed[] = {"rfc822", "global", "news"};
	size_t i;

	LEAK_CHECK_OFF();
	g_mime_init();
	LEAK_CHECK_ON();
	for (i = 0; i < sizeof(enclosed) / sizeof(enclosed[0]); i++)
		g_mime_object_register_type("message", enclosed[i],
		                            GMIME_TYPE_PART);
}

bool
pb_gmime_init(void)
{
	return pthread_once(&gmime_once, gmime_start) == 0;
}

char *
pb_to_utf8(const char *s, size_t n, const char *cs, size_t *outlen)
{
	iconv_t cd;
	char *g, *out = NULL;

	/* the result is a C string: a NUL would cut it short; GMime's
	 * iconv cache needs GMime started (callers below pb_ctx_new too) */
	if (memchr(s, '\0', n) != NULL || !pb_gmime_init() ||
	    (cd = g_mime_iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return NULL;
	g = g_mime_iconv_strndup(cd, s, n);
	g_mime_iconv_close(cd);
	if (g != NULL) {
		*outlen = strlen(g);
		out = pb_strndup_cap(g, *outlen, *outlen, NULL);
		g_free(g);
	}
	return out;
}

/* needs_charset - could text t[0..n) read differently in UTF-8? (bytes
 * above ASCII, or ESC: ISO-2022-JP is 7-bit) */
static bool
needs_charset(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] >= 0x80 || t[i] == 0x1b)
			return true;
	return false;
}

enum pb_status
pb_msg_part_text(const struct pb_msg *msg, size_t idx, size_t cap, char **out,
                 size_t *outlen)
{
	const char *cs = idx < msg->nparts ? msg->parts[idx].charset : NULL;
	enum pb_status st = pb_msg_part_decode(msg, idx, cap, out, outlen);
	size_t un;
	char *u;

	if (st != PB_OK || cs == NULL || strcmp(cs, "utf-8") == 0 ||
	    strcmp(cs, "us-ascii") == 0 || !needs_charset(*out, *outlen))
		return st;
	for (u = *out; (u = memchr(u, '\0', *outlen - (size_t)(u - *out)));)
		*u = ' '; /* text for reading: a NUL is noise */
	if ((u = pb_to_utf8(*out, *outlen, cs, &un)) != NULL) {
		free(*out);
		*out = u;
		*outlen = un;
	}
	return PB_OK;
}
