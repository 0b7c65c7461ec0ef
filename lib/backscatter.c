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
 *            only: GMime has parsed them; the body is never looked at.
 */
#include "config.h"

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

/* headers_part - the header list of a text/rfc822-headers part, parsed
 * by GMime from its content; NULL when it cannot be read (new ref) */
static GMimeMessage *
headers_part(GMimeObject *obj)
{
	GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));
	GMimeStream *s, *mem;
	GMimeParser *p;
	GMimeMessage *m;

	if (w == NULL || (s = g_mime_data_wrapper_get_stream(w)) == NULL)
		return NULL;
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, mem) < 0) {
		g_object_unref(mem);
		return NULL;
	}
	g_mime_stream_reset(mem);
	p = g_mime_parser_new_with_stream(mem);
	m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(mem);
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
		GMimeObject *obj = msg->parts[i].obj;
		GMimeMessage *orig = NULL;
		bool yes;
		if (pb_msg_is_type(msg, i, "message", "rfc822") ||
		    pb_msg_is_type(msg, i, "message", "global")) {
			if (!GMIME_IS_MESSAGE_PART(obj))
				continue;
			orig = g_mime_message_part_get_message(
			    GMIME_MESSAGE_PART(obj));
			if (orig == NULL)
				continue;
			g_object_ref(orig);
		} else if (pb_msg_is_type(msg, i, "text", "rfc822-headers") &&
		           GMIME_IS_PART(obj)) {
			if ((orig = headers_part(obj)) == NULL)
				continue;
		} else {
			continue;
		}
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
