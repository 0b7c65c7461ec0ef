/*
 * backscatter.c - tell a bounce for mail we sent from backscatter: a
 *                 bounce for mail that a spammer sent in our user's name
 *                 through someone else's server (DESIGN.md section 2).
 *
 * Input:     the parsed message and the operator's identity: host names
 *            that appear in the Received lines our servers write, and
 *            the domains of the Message-IDs they make (all borrowed).
 * Output:    true when the returned original shows none of them.
 * Status:    none: no returned original, or no identity, is "not
 *            backscatter" (the explanation then stays the usual one).
 * Limits:    reads the header fields of the first returned original
 *            (message/rfc822, message/global or text/rfc822-headers)
 *            only: GMime parses its header section alone; the body is
 *            never looked at.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "pb_int.h"
#include "backscatter.h"

/* is_label_char - may c be part of a host name? */
static bool
is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool
pb_backscatter_names_host(const char *v, const char *h)
{
	size_t n = strlen(v), m = strlen(h);
	const char *p = v;

	if (m == 0)
		return false;
	while ((p = pb_ascii_casestr(p, n - (size_t)(p - v), h)) != NULL) {
		bool start = p == v || !is_label_char(p[-1]);
		bool end = !is_label_char(p[m]) ||
		           (p[m] == '.' && !is_label_char(p[m + 1]));
		if (start && end)
			return true;
		p++;
	}
	return false;
}

/* msgid_domain_is - is the domain of Message-ID value v one of d? */
static bool
msgid_domain_is(const char *v, const char *const *d, size_t nd)
{
	const char *at = strrchr(v, '@'), *end;
	size_t i, n;

	if (at == NULL)
		return false;
	at++;
	for (end = at; *end != '\0' && *end != '>' && *end != ' '; end++)
		;
	n = (size_t)(end - at);
	for (i = 0; i < nd; i++)
		if (strlen(d[i]) == n && strncasecmp(at, d[i], n) == 0)
			return true;
	return false;
}

/* ours - does header list hl show one of our identities? */
static bool
ours(GMimeHeaderList *hl, const char *const *hosts, size_t nhosts,
     const char *const *domains, size_t ndomains)
{
	int i, n = g_mime_header_list_get_count(hl);
	size_t k;

	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *v = g_mime_header_get_raw_value(h);
		if (name == NULL || v == NULL)
			continue;
		if (strcasecmp(name, "Received") == 0) {
			for (k = 0; k < nhosts; k++)
				if (pb_backscatter_names_host(v, hosts[k]))
					return true;
		} else if (strcasecmp(name, "Message-ID") == 0 &&
		           msgid_domain_is(v, domains, ndomains)) {
			return true;
		}
	}
	return false;
}

/* Header sections longer than this are not read; an encoded part (base64
 * or quoted-printable, which a returned original should not be) is read
 * only when its whole decoded content fits in it. */
#define MAX_ORIG_HEADER (1024 * 1024)

/* orig_headers - the header fields of the returned original in part idx
 * (message/rfc822, message/global or text/rfc822-headers: a leaf part,
 * see msg_parse.c), parsed by GMime from its header section alone; NULL
 * when there are none or they cannot be read (new ref) */
static GMimeMessage *
orig_headers(const struct pb_msg *msg, size_t idx)
{
	char *dec = NULL;
	const char *raw;
	size_t n, he, blank;
	GMimeStream *mem;
	GMimeParser *parser;
	GMimeMessage *m;

	if (pb_msg_part_raw(msg, idx, &raw, &n))
		; /* the bytes as they stand */
	else if (pb_msg_part_decode(msg, idx, MAX_ORIG_HEADER, &dec, &n) ==
	         PB_OK)
		raw = dec;
	else
		return NULL;
	he = pb_header_end(raw, n, &blank);
	if (he > MAX_ORIG_HEADER) {
		free(dec);
		return NULL;
	}
	mem = g_mime_stream_mem_new_with_buffer(raw, he + blank);
	parser = g_mime_parser_new_with_stream(mem);
	m = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(mem);
	free(dec);
	return m;
}

bool
pb_backscatter_check(const struct pb_msg *msg, const char *const *hosts,
                     size_t nhosts, const char *const *domains, size_t ndomains)
{
	size_t i;

	if (nhosts == 0 && ndomains == 0)
		return false;
	for (i = 0; i < msg->nparts; i++) {
		GMimeMessage *orig;
		bool yes;

		if (!pb_msg_is_type(msg, i, "message", "rfc822") &&
		    !pb_msg_is_type(msg, i, "message", "global") &&
		    !pb_msg_is_type(msg, i, "text", "rfc822-headers"))
			continue;
		if ((orig = orig_headers(msg, i)) == NULL)
			continue;
		yes = g_mime_header_list_get_count(
		          g_mime_object_get_header_list(GMIME_OBJECT(orig))) >
		          0 &&
		      !ours(g_mime_object_get_header_list(GMIME_OBJECT(orig)),
		            hosts, nhosts, domains, ndomains);
		g_object_unref(orig);
		return yes;
	}
	return false;
}
