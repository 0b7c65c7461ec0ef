/*
 * explain.c - pick the catalog entry for each failed recipient and
 *             render the explanation as plain text and as HTML.
 *
 * Input:     recipients as classify.c left them, a catalog view (one
 *            language over its fallbacks), the operator's values
 *            (struct pb_explain_opts), the Reporting-MTA (all borrowed).
 * Output:    struct pb_explanation (new strings); each recipient's
 *            explained_by (new string).
 * Status:    PB_OK, PB_ENOMEM, PB_ECATALOG (no labels or generic entry).
 * Limits:    untrusted values (addresses, hosts, diagnostics) are
 *            cleaned and cut at PB_EXPLAIN_MAX_ITEM bytes; at most
 *            PB_EXPLAIN_MAX_LISTED recipients are listed in full (and
 *            get typo hints).
 * Next:      rewrite.c puts the text into the message.
 *
 * Layout (DESIGN.md section 4): a title; per group of recipients that
 * share an entry, the four parts (what happened, likely cause, what you
 * can do, who must fix it), with typo hints and the help page added to
 * "what you can do"; the operator's contact line; then the technical
 * details per recipient.  Text from the bounce never becomes markup or
 * a link: it is cleaned (a URL scheme loses its colon: "https[:]//"),
 * then HTML-escaped.  Only the operator's own
 * help URL and support address become links.
 *
 * Placeholders: {recipient} {domain} {rhost} {status} {reply}
 * {retry_until} {diagnostic} from the bounce; {org} {support}
 * {max_size} {help_url} from the operator; in labels also {count} and
 * {suggestion}.  A sentence holding a placeholder whose value is empty
 * is left out; an unknown placeholder stays as written.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_int.h"
#include "explain.h"
#include "typo.h"

#define PB_EXPLAIN_MAX_LISTED 20

static const char *const parts[] = {"what", "cause", "todo", "owner"};

const char *const pb_explain_placeholders[] = {
    "recipient",   "domain",     "rhost",      "status",  "reply",
    "retry_until", "diagnostic", "org",        "support", "max_size",
    "help_url",    "count",      "suggestion",
};
const size_t pb_explain_nplaceholders = PB_NELEM(pb_explain_placeholders);

/* The values placeholders stand for, cleaned; NULL: keep "{name}". */
struct vars {
	char *recipient, *domain, *rhost, *status, *reply, *retry_until;
	char *diagnostic, *org, *support, *max_size, *help_url, *suggestion;
};

/* Placeholder names and where their values are. */
static const struct {
	const char *name;
	size_t off;
	bool link; /* the operator's URL or address: a link in HTML */
} var_names[] = {
    {"recipient", offsetof(struct vars, recipient), false},
    {"domain", offsetof(struct vars, domain), false},
    {"rhost", offsetof(struct vars, rhost), false},
    {"status", offsetof(struct vars, status), false},
    {"reply", offsetof(struct vars, reply), false},
    {"retry_until", offsetof(struct vars, retry_until), false},
    {"diagnostic", offsetof(struct vars, diagnostic), false},
    {"org", offsetof(struct vars, org), false},
    {"support", offsetof(struct vars, support), true},
    {"max_size", offsetof(struct vars, max_size), false},
    {"help_url", offsetof(struct vars, help_url), true},
    {"suggestion", offsetof(struct vars, suggestion), false},
};

/* ends_in_scheme - does b[start..len) end in a URL scheme that mail
 * readers turn into a link (http, https, ftp, javascript, data, ...),
 * standing as a word? */
static bool
ends_in_scheme(const struct pb_buf *b, size_t start)
{
	static const char *const schemes[] = {
	    "http", "https", "ftp", "javascript", "vbscript", "data", "file"};
	size_t i, n;

	for (i = 0; i < PB_NELEM(schemes); i++) {
		n = strlen(schemes[i]);
		if (b->len - start < n ||
		    pb_ascii_casestr(b->data + b->len - n, n, schemes[i]) ==
		        NULL)
			continue;
		if (b->len - start == n ||
		    !isalnum((unsigned char)b->data[b->len - n - 1]))
			return true;
	}
	return false;
}

/* clean_text - pb_explain_clean(), with URL schemes defanged only when
 * defang is set (untrusted text; the operator's URLs stay links) */
static void
clean_text(struct pb_buf *b, const char *s, size_t max, bool defang)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, start = b->len;
	bool space = true; /* drop leading white space */

	while (i < n) {
		size_t l;
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == ' ') {
			if (!space) {
				pb_buf_addc(b, ' ');
				space = true;
			}
			i++;
			continue;
		}
		if (p[i] < 0x80 && !(defang && p[i] == ':')) {
			/* a run of printable ASCII in one piece, up to a
			 * colon that may end a URL scheme */
			size_t j = i, used = b->len - start;
			size_t room = used < max ? max - used : 0;
			while (j < n && p[j] > 0x20 && p[j] < 0x7f &&
			       !(defang && p[j] == ':'))
				j++;
			if (j - i > room) {
				pb_buf_add(b, s + i, room);
				pb_buf_adds(b, "...");
				return;
			}
			pb_buf_add(b, s + i, j - i);
			i = j;
			space = false;
			continue;
		}
		l = pb_utf8_len(p + i, n - i);
		if (b->len - start + (l ? l : 1) > max) {
			pb_buf_adds(b, "...");
			return;
		}
		if (l == 0) {
			pb_buf_addc(b, '?');
			i++;
		} else if (defang && p[i] == ':' && b->data != NULL &&
		           ends_in_scheme(b, start)) {
			if (b->len - start + 3 > max) {
				pb_buf_adds(b, "...");
				return;
			}
			pb_buf_adds(b, "[:]"); /* never a link: "https[:]//" */
			i++;
		} else {
			pb_buf_add(b, s + i, l);
			i += l;
		}
		space = false;
	}
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

void
pb_explain_clean(struct pb_buf *b, const char *s, size_t max)
{
	clean_text(b, s, max, true);
}

/* clean_dup - returns new: the cleaned copy of s ("" for NULL), NULL on
 * ENOMEM; defang as clean_text() */
static char *
clean_dup(const char *s, bool defang)
{
	struct pb_buf b;

	pb_buf_init(&b);
	clean_text(&b, s ? s : "", PB_EXPLAIN_MAX_ITEM, defang);
	return pb_buf_take(&b);
}

bool
pb_explain_is_delay(const struct pb_rcpt *r)
{
	return strcmp(r->action, "delayed") == 0 ||
	       (r->action[0] == '\0' && r->status[0] == '4');
}

/* try_key - the entry for the key pre + s, or NULL (also when the key
 * would be too long) */
static const struct pb_catalog_entry *
try_key(const struct pb_catalog_view *cat, const char *pre, const char *s)
{
	char key[128];
	size_t pn = strlen(pre), sn = strlen(s);

	if (pn + sn >= sizeof(key))
		return NULL;
	memcpy(key, pre, pn);
	memcpy(key + pn, s, sn + 1);
	return pb_catalog_view_get(cat, key);
}

/* key_in - the most specific entry for r in the layers of cat; the
 * generic entries only when generic is set */
static const struct pb_catalog_entry *
key_in(const struct pb_catalog_view *cat, const struct pb_rcpt *r, bool generic)
{
	const struct pb_catalog_entry *e;
	bool delay = pb_explain_is_delay(r);

	if (r->rule != NULL && r->rule[0] != '\0' &&
	    (e = try_key(cat, delay ? "delay:rule:" : "rule:", r->rule)) !=
	        NULL)
		return e;
	if (r->status[0] != '\0' && (r->status[0] == '4') == delay) {
		if ((e = try_key(cat, "status:", r->status)) != NULL)
			return e;
		if (pb_is_status_code(r->status, strlen(r->status)) &&
		    (e = try_key(cat, "status:X", r->status + 1)) != NULL)
			return e;
	}
	if (strlen(r->reply) == 3 && (r->reply[0] == '4') == delay &&
	    (e = try_key(cat, "reply:", r->reply)) != NULL)
		return e;
	if ((e = try_key(cat, delay ? "delay:" : "reason:",
	                 pb_reason_name(r->reason))) != NULL)
		return e;
	if (!generic)
		return NULL;
	if (delay && (e = pb_catalog_view_get(cat, "delay:generic")) != NULL)
		return e;
	return pb_catalog_view_get(cat, "generic");
}

const struct pb_catalog_entry *
pb_explain_key(const struct pb_catalog_view *cat, const struct pb_rcpt *r)
{
	struct pb_catalog_view own = *cat;
	const struct pb_catalog_entry *e;

	/* an entry in the reader's language first, even a less specific
	 * one; English only when that language has no entry but generic */
	if (cat->own > 0 && cat->own < cat->n) {
		own.n = cat->own;
		if ((e = key_in(&own, r, false)) != NULL)
			return e;
	}
	return key_in(cat, r, true);
}

/* var_find - the index in var_names of placeholder name[0..n), or -1 */
static int
var_find(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < PB_NELEM(var_names); i++)
		if (strlen(var_names[i].name) == n &&
		    memcmp(var_names[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

/* var_value - the value of placeholder i (NULL when i < 0 or unset) */
static const char *
var_value(const struct vars *v, int i)
{
	if (v == NULL || i < 0)
		return NULL;
	return *(char *const *)((const char *)v + var_names[i].off);
}

/* sentence_end - end of the sentence starting at s (after ". ") */
static const char *
sentence_end(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if ((p[0] == '.' || p[0] == '!' || p[0] == '?') && p[1] == ' ')
			return p + 2;
	return p;
}

/* html_escape_char - append c, escaped for HTML text and attributes */
static void
html_escape_char(struct pb_buf *b, char c)
{
	switch (c) {
	case '&':
		pb_buf_adds(b, "&amp;");
		break;
	case '<':
		pb_buf_adds(b, "&lt;");
		break;
	case '>':
		pb_buf_adds(b, "&gt;");
		break;
	case '"':
		pb_buf_adds(b, "&quot;");
		break;
	case '\'':
		pb_buf_adds(b, "&#39;");
		break;
	default:
		pb_buf_addc(b, c);
	}
}

/* html_plain - the number of leading bytes of s[0..n) that need no
 * HTML escape */
static size_t
html_plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '&' || s[i] == '<' || s[i] == '>' || s[i] == '"' ||
		    s[i] == '\'')
			break;
	return i;
}

/* add_text - append s[0..n), escaped for HTML when html; runs that need
 * no escape are copied at once */
static void
add_text(struct pb_buf *b, const char *s, size_t n, bool html)
{
	size_t k;

	while (n > 0) {
		k = html ? html_plain(s, n) : n;
		pb_buf_add(b, s, k);
		s += k;
		n -= k;
		if (n > 0) {
			html_escape_char(b, *s++);
			n--;
		}
	}
}

/* html_escape - append s with &, <, >, " and ' escaped */
static void
html_escape(struct pb_buf *b, const char *s)
{
	add_text(b, s, strlen(s), true);
}

/* link_target - the href for an operator value, or NULL when it is no
 * web URL or plain mail address (then it is shown as text only) */
static const char *
link_target(const char *val, bool *mailto)
{
	*mailto = false;
	if (strncmp(val, "https://", 8) == 0 || strncmp(val, "http://", 7) == 0)
		return strpbrk(val, " \"'<>") ? NULL : val;
	if (strchr(val, '@') != NULL && strpbrk(val, " :/\"'<>") == NULL) {
		*mailto = true;
		return val;
	}
	return NULL;
}

/* add_value - append a placeholder's value; in HTML escaped, and the
 * operator's URL or address as a link */
static void
add_value(struct pb_buf *b, int i, const char *val, bool html)
{
	const char *href;
	bool mailto;

	if (!html) {
		pb_buf_adds(b, val);
		return;
	}
	if (!var_names[i].link || (href = link_target(val, &mailto)) == NULL) {
		html_escape(b, val);
		return;
	}
	pb_buf_adds(b, mailto ? "<a href=\"mailto:" : "<a href=\"");
	html_escape(b, href);
	pb_buf_adds(b, "\">");
	html_escape(b, val);
	pb_buf_adds(b, "</a>");
}

/* sentence_kept - does no placeholder of s[0..e) have an empty value? */
static bool
sentence_kept(const char *s, const char *e, const struct vars *v)
{
	const char *p, *close, *val;

	for (p = s; p < e; p++) {
		if (*p != '{' ||
		    (close = memchr(p, '}', (size_t)(e - p))) == NULL)
			continue;
		val = var_value(v, var_find(p + 1, (size_t)(close - p - 1)));
		if (val != NULL && val[0] == '\0')
			return false;
	}
	return true;
}

/* expand - append text with placeholders filled in (escaped for HTML
 * when html); a sentence that holds a placeholder with an empty value
 * is left out */
static void
expand(struct pb_buf *b, const char *text, const struct vars *v, bool html)
{
	const char *s = text, *e, *p, *open, *close, *val;
	int i;

	while (*s != '\0') {
		e = sentence_end(s);
		p = sentence_kept(s, e, v) ? s : e;
		while (p < e) {
			/* the text up to the next placeholder in one piece */
			if ((open = memchr(p, '{', (size_t)(e - p))) == NULL)
				open = e;
			add_text(b, p, (size_t)(open - p), html);
			if (open == e)
				break;
			if ((close = memchr(open, '}', (size_t)(e - open))) !=
			        NULL &&
			    (val = var_value(
			         v, i = var_find(open + 1,
			                         (size_t)(close - open - 1)))) !=
			        NULL) {
				add_value(b, i, val, html);
				p = close + 1;
			} else {
				add_text(b, open, 1, html);
				p = open + 1;
			}
		}
		s = e;
	}
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

size_t
pb_explain_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* cut_word - the length of the piece of a word p[0..n) that goes on
 * one line: all of it up to 900 bytes, else cut before a character (not
 * inside a UTF-8 sequence) and not inside an HTML entity ("&amp;"), so
 * that no line is ever longer than RFC 5322's 998 bytes */
static size_t
cut_word(const char *p, size_t n)
{
	size_t w = 900, k;

	if (n <= w)
		return n;
	while (w > 1 && ((unsigned char)p[w] & 0xc0) == 0x80)
		w--;
	for (k = w; k > 0 && w - k < 10; k--) {
		if (p[k - 1] == ';')
			break;
		if (p[k - 1] == '&') {
			if (k > 1)
				w = k - 1;
			break;
		}
	}
	return w;
}

/* wrap - append text wrapped at PB_EXPLAIN_WIDTH with indent before
 * every line, each line ended by "\n".  Text holding bounce values
 * always gets an indent (HTML a space), so that no line of it can
 * start with "--" and be taken for a MIME boundary (RFC 2046 5.1.1). */
static void
wrap(struct pb_buf *b, const char *text, const char *indent)
{
	size_t ind = strlen(indent), col = 0;
	const char *p = text;

	while (*p != '\0') {
		size_t w, cw;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = cut_word(p, strcspn(p, " "));
		cw = pb_explain_width(p, w);
		if (col > 0 && col + 1 + cw > PB_EXPLAIN_WIDTH) {
			pb_buf_addc(b, '\n');
			col = 0;
		}
		if (col == 0) {
			pb_buf_adds(b, indent);
			col = ind;
		} else {
			pb_buf_addc(b, ' ');
			col++;
		}
		pb_buf_add(b, p, w);
		col += cw;
		p += w;
	}
	if (col > 0)
		pb_buf_addc(b, '\n');
}

/* vars_fini - free placeholder values */
static void
vars_fini(struct vars *v)
{
	size_t i;

	for (i = 0; i < PB_NELEM(var_names); i++) {
		char **f = (char **)((char *)v + var_names[i].off);
		free(*f);
		*f = NULL;
	}
}

/* help_url - the operator's help page for reason, or NULL */
static const char *
help_url(const struct pb_explain_opts *o, enum pb_reason reason)
{
	const char *any = NULL;
	size_t i;

	for (i = 0; o != NULL && i < o->nhelp_urls; i++) {
		const struct pb_help_url *h = &o->help_urls[i];
		if (h->reason == NULL || h->url == NULL || h->url[0] == '\0')
			continue;
		if (strcmp(h->reason, pb_reason_name(reason)) == 0)
			return h->url;
		if (strcmp(h->reason, "*") == 0 && any == NULL)
			any = h->url;
	}
	return any;
}

/* vars_init - fill placeholder values from r (NULL: only the operator's
 * values) and o (may be NULL); false on ENOMEM */
static bool
vars_init(struct vars *v, const struct pb_rcpt *r,
          const struct pb_explain_opts *o)
{
	const char *at = r ? strrchr(r->addr, '@') : NULL;

	memset(v, 0, sizeof(*v));
	if (r != NULL) {
		v->recipient = clean_dup(r->addr, true);
		v->domain = clean_dup(at ? at + 1 : "", true);
		v->rhost = clean_dup(r->rhost, true);
		v->status = clean_dup(r->status, true);
		v->reply = clean_dup(r->reply, true);
		v->retry_until = clean_dup(r->retry_until, true);
		v->diagnostic = clean_dup(r->diagnostic, true);
		v->help_url = clean_dup(help_url(o, r->reason), false);
		v->suggestion = clean_dup("", true);
	}
	v->org = clean_dup(o ? o->org : NULL, false);
	v->support = clean_dup(o ? o->support : NULL, false);
	v->max_size = clean_dup(o ? o->max_size : NULL, false);
	return v->org && v->support && v->max_size &&
	       (r == NULL || (v->recipient && v->domain && v->rhost &&
	                      v->status && v->reply && v->retry_until &&
	                      v->diagnostic && v->help_url && v->suggestion));
}

/* Output under construction. */
struct render {
	const struct pb_catalog_view *cat;
	const struct pb_explain_opts *o;
	struct pb_buf text, html, line, esc;
};

/* label - the labels field name, or the name itself */
static const char *
label(const struct render *rd, const char *name)
{
	const char *t = pb_catalog_view_label(rd->cat, name);

	return t ? t : name;
}

/* add_html_text - text, HTML-escaped and wrapped, to the HTML */
static void
add_html_text(struct render *rd, const char *text)
{
	rd->esc.len = 0;
	html_escape(&rd->esc, text);
	if (!rd->esc.failed)
		wrap(&rd->html, rd->esc.data, " ");
}

/* add_part - one of the four parts of an entry, in both renderings:
 * text and html are the expanded texts */
static void
add_part(struct render *rd, const char *name, const char *text,
         const char *html)
{
	wrap(&rd->text, label(rd, name), "");
	wrap(&rd->text, text, "  ");
	pb_buf_adds(&rd->html, "<p><strong>");
	add_html_text(rd, label(rd, name));
	pb_buf_adds(&rd->html, "</strong><br>\n");
	wrap(&rd->html, html, " ");
	pb_buf_adds(&rd->html, "</p>\n");
}

/* add_more - " and N more" from the label, {count} filled in */
static void
add_more(struct pb_buf *b, const char *label_text, size_t count)
{
	const char *at = strstr(label_text, "{count}");
	char num[24];

	snprintf(num, sizeof(num), "%zu", count);
	pb_buf_addc(b, ' ');
	if (at == NULL) {
		pb_buf_adds(b, label_text);
		return;
	}
	pb_buf_add(b, label_text, (size_t)(at - label_text));
	pb_buf_adds(b, num);
	pb_buf_adds(b, at + 7);
}

/* wants_typo_hint - is r's failure one where a mistyped domain is a
 * likely cause (the address or its domain was not found)? */
static bool
wants_typo_hint(const struct pb_rcpt *r)
{
	return r->reason == PB_REASON_USERUNKNOWN ||
	       r->reason == PB_REASON_HOSTUNKNOWN;
}

/* add_label_sentence - expand labels field name with v and append it,
 * after a space, to tx and hx; nothing when the label is missing */
static void
add_label_sentence(struct render *rd, const char *name, const struct vars *v,
                   struct pb_buf *tx, struct pb_buf *hx)
{
	const char *t = pb_catalog_view_label(rd->cat, name);

	if (t == NULL)
		return;
	pb_buf_addc(tx, ' ');
	expand(tx, t, v, false);
	pb_buf_addc(hx, ' ');
	expand(hx, t, v, true);
}

/* add_typo_hints - "Did you mean ...?" for each listed recipient of the
 * group whose domain looks mistyped; false on ENOMEM */
static bool
add_typo_hints(struct render *rd, const struct pb_rcpt *rcpts,
               const size_t *idx, size_t k, struct pb_buf *tx,
               struct pb_buf *hx)
{
	size_t i;

	for (i = 0; i < k && i < PB_EXPLAIN_MAX_LISTED; i++) {
		const struct pb_rcpt *r = &rcpts[idx[i]];
		const char *at = strrchr(r->addr, '@'), *sug;
		struct pb_buf fixed;
		struct vars hv;
		bool ok;
		if (!wants_typo_hint(r) || at == NULL ||
		    (sug = pb_typo_suggest(
		         at + 1, rd->o ? rd->o->typo_domains : NULL,
		         rd->o ? rd->o->ntypo_domains : 0)) == NULL)
			continue;
		if (!vars_init(&hv, r, rd->o)) {
			vars_fini(&hv);
			return false;
		}
		pb_buf_init(&fixed);
		pb_buf_add(&fixed, r->addr, (size_t)(at - r->addr) + 1);
		pb_buf_adds(&fixed, sug);
		free(hv.suggestion);
		hv.suggestion = fixed.failed ? NULL : clean_dup(fixed.data, true);
		pb_buf_fini(&fixed);
		ok = hv.suggestion != NULL;
		if (ok)
			add_label_sentence(rd, "typo_hint", &hv, tx, hx);
		vars_fini(&hv);
		if (!ok)
			return false;
	}
	return true;
}

/* uses_help_url - does any part of e use {help_url} itself? */
static bool
uses_help_url(const struct pb_catalog_entry *e)
{
	size_t i;

	for (i = 0; i < PB_NELEM(parts); i++)
		if (strstr(pb_catalog_field(e, parts[i]), "{help_url}") != NULL)
			return true;
	return false;
}

/* group_vars - v for the group idx[0..k): the first recipient's values,
 * with {recipient} the list of all when there are several */
static bool
group_vars(struct render *rd, struct vars *v, const struct pb_rcpt *rcpts,
           const size_t *idx, size_t k)
{
	struct pb_buf list;
	size_t i;

	if (!vars_init(v, &rcpts[idx[0]], rd->o))
		return false;
	if (k == 1 && rcpts[idx[0]].addr[0] == '\0') {
		/* the report names nobody: "one of your recipients" */
		free(v->recipient);
		v->recipient = strdup(label(rd, "recipient_unnamed"));
		return v->recipient != NULL;
	}
	if (k == 1)
		return true;
	pb_buf_init(&list);
	for (i = 0; i < k && i < PB_EXPLAIN_MAX_LISTED; i++) {
		if (i > 0)
			pb_buf_adds(&list, ", ");
		pb_explain_clean(&list, rcpts[idx[i]].addr,
		                 PB_EXPLAIN_MAX_ITEM);
	}
	if (k > PB_EXPLAIN_MAX_LISTED)
		add_more(&list, label(rd, "recipients_more"),
		         k - PB_EXPLAIN_MAX_LISTED);
	if (list.failed) {
		pb_buf_fini(&list);
		return false;
	}
	free(v->recipient); /* the whole group is meant */
	v->recipient = pb_buf_take(&list);
	return v->recipient != NULL;
}

/* add_group - the explanation of one entry for the recipients that use
 * it (indexes idx[0..k)) */
static bool
add_group(struct render *rd, const struct pb_catalog_entry *e,
          const struct pb_rcpt *rcpts, const size_t *idx, size_t k)
{
	struct vars v;
	struct pb_buf tx, hx;
	size_t i;
	bool ok = true;

	if (!group_vars(rd, &v, rcpts, idx, k)) {
		vars_fini(&v);
		return false;
	}
	pb_buf_init(&tx);
	pb_buf_init(&hx);
	for (i = 0; i < PB_NELEM(parts) && ok; i++) {
		tx.len = hx.len = 0;
		expand(&tx, pb_catalog_field(e, parts[i]), &v, false);
		expand(&hx, pb_catalog_field(e, parts[i]), &v, true);
		if (strcmp(parts[i], "todo") == 0) {
			ok = add_typo_hints(rd, rcpts, idx, k, &tx, &hx);
			if (v.help_url[0] != '\0' && !uses_help_url(e))
				add_label_sentence(rd, "help_link", &v, &tx,
				                   &hx);
		}
		if (tx.failed || hx.failed)
			ok = false;
		if (ok)
			add_part(rd, parts[i], tx.data ? tx.data : "",
			         hx.data ? hx.data : "");
	}
	pb_buf_fini(&tx);
	pb_buf_fini(&hx);
	vars_fini(&v);
	return ok;
}

/* add_contact - the operator's support line, when there is one */
static bool
add_contact(struct render *rd)
{
	const char *t = pb_catalog_view_label(rd->cat, "contact");
	struct pb_buf tx, hx;
	struct vars v;
	bool ok;

	if (t == NULL || rd->o == NULL || rd->o->support == NULL ||
	    rd->o->support[0] == '\0')
		return true;
	if (!vars_init(&v, NULL, rd->o)) {
		vars_fini(&v);
		return false;
	}
	pb_buf_init(&tx);
	pb_buf_init(&hx);
	expand(&tx, t, &v, false);
	expand(&hx, t, &v, true);
	ok = !tx.failed && !hx.failed;
	if (ok && tx.len > 0) {
		pb_buf_addc(&rd->text, '\n');
		wrap(&rd->text, tx.data, "");
		pb_buf_adds(&rd->html, "<p>");
		wrap(&rd->html, hx.data, " ");
		pb_buf_adds(&rd->html, "</p>\n");
	}
	pb_buf_fini(&tx);
	pb_buf_fini(&hx);
	vars_fini(&v);
	return ok;
}

/* add_detail - "  Label value" in text and "Label value<br>" in HTML,
 * for a non-empty untrusted value */
static void
add_detail(struct render *rd, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	rd->line.len = 0;
	pb_buf_adds(&rd->line, label(rd, name));
	pb_buf_addc(&rd->line, ' ');
	pb_explain_clean(&rd->line, value, PB_EXPLAIN_MAX_ITEM);
	if (rd->line.failed)
		return;
	wrap(&rd->text, rd->line.data, "  ");
	pb_buf_adds(&rd->html, "<br>\n");
	add_html_text(rd, rd->line.data);
}

/* add_details - technical details of every failed recipient */
static void
add_details(struct render *rd, const struct pb_rcpt *rcpts, size_t n,
            const char *reporting_mta)
{
	size_t i, shown = 0;

	pb_buf_addc(&rd->text, '\n');
	wrap(&rd->text, label(rd, "details"), "");
	pb_buf_adds(&rd->html, "<p style=\"font-size:smaller\"><strong>");
	add_html_text(rd, label(rd, "details"));
	pb_buf_adds(&rd->html, "</strong>");
	for (i = 0; i < n; i++) {
		const struct pb_rcpt *r = &rcpts[i];
		if (!r->failed)
			continue;
		if (shown++ == PB_EXPLAIN_MAX_LISTED) {
			wrap(&rd->text, "...", "  ");
			pb_buf_adds(&rd->html, "<br>\n...");
			break;
		}
		if (shown > 1)
			pb_buf_addc(&rd->text, '\n');
		add_detail(rd, "recipient", r->addr);
		add_detail(rd, "status", r->status);
		add_detail(rd, "reply", r->reply);
		add_detail(rd, "remote_mta", r->rhost);
		add_detail(rd, "diagnostic", r->diagnostic);
		add_detail(rd, "retry_until", r->retry_until);
	}
	add_detail(rd, "reporting_mta", reporting_mta);
	pb_buf_adds(&rd->html, "</p>\n");
}

/* add_title - the title line in both renderings */
static void
add_title(struct render *rd, const char *title)
{
	rd->line.len = 0;
	pb_buf_adds(&rd->line, "*** ");
	pb_buf_adds(&rd->line, title);
	pb_buf_adds(&rd->line, " ***");
	if (!rd->line.failed)
		wrap(&rd->text, rd->line.data, "");
	pb_buf_addc(&rd->text, '\n');
	pb_buf_adds(&rd->html, "<div style=\"border:2px solid #b00;"
	                       "padding:8px;margin:0 0 12px 0\">\n"
	                       "<p><strong>");
	add_html_text(rd, title);
	pb_buf_adds(&rd->html, "</strong></p>\n");
}

/* render - the whole explanation; false on ENOMEM */
static bool
render(struct render *rd, const struct pb_catalog_entry **chosen,
       struct pb_rcpt *rcpts, size_t n, const char *reporting_mta)
{
	size_t *idx, i, j, k;
	bool any_hard = false, ok = true;

	for (i = 0; i < n; i++)
		if (rcpts[i].failed && !pb_explain_is_delay(&rcpts[i]))
			any_hard = true;
	add_title(rd, label(rd, any_hard ? "title_failure" : "title_delay"));
	if ((idx = calloc(n ? n : 1, sizeof(*idx))) == NULL)
		return false;
	for (i = 0; i < n && ok; i++) {
		if (chosen[i] == NULL)
			continue;
		for (j = 0; j < i && chosen[j] != chosen[i]; j++)
			;
		if (j < i)
			continue; /* group already written */
		for (k = 0, j = i; j < n; j++)
			if (chosen[j] == chosen[i])
				idx[k++] = j;
		if (i > 0 && rd->text.len > 0)
			pb_buf_addc(&rd->text, '\n');
		ok = add_group(rd, chosen[i], rcpts, idx, k);
	}
	free(idx);
	if (ok)
		ok = add_contact(rd);
	add_details(rd, rcpts, n, reporting_mta);
	pb_buf_adds(&rd->text, "\n");
	wrap(&rd->text, label(rd, "original"), "");
	pb_buf_adds(
	    &rd->text,
	    "------------------------------------------------------------"
	    "----------\n\n");
	pb_buf_adds(&rd->html, "<p><em>");
	add_html_text(rd, label(rd, "original"));
	pb_buf_adds(&rd->html, "</em></p>\n</div>\n");
	return ok && !rd->text.failed && !rd->html.failed;
}

enum pb_status
pb_explain(const struct pb_catalog_view *cat, const struct pb_explain_opts *o,
           struct pb_rcpt *rcpts, size_t n, const char *reporting_mta,
           struct pb_explanation *out)
{
	const struct pb_catalog_entry **chosen;
	struct render rd;
	size_t i;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	memset(&rd, 0, sizeof(rd));
	rd.cat = cat;
	rd.o = o;
	if (pb_catalog_view_get(cat, "labels") == NULL ||
	    pb_catalog_view_get(cat, "generic") == NULL)
		return PB_ECATALOG;
	if ((chosen = calloc(n ? n : 1, sizeof(*chosen))) == NULL)
		return PB_ENOMEM;
	for (i = 0; i < n && ok; i++) {
		const char *key = "";
		if (rcpts[i].failed) {
			chosen[i] = pb_explain_key(cat, &rcpts[i]);
			key = pb_catalog_key(chosen[i]);
		}
		free(rcpts[i].explained_by);
		ok = (rcpts[i].explained_by = strdup(key)) != NULL;
	}
	pb_buf_init(&rd.text);
	pb_buf_init(&rd.html);
	pb_buf_init(&rd.line);
	pb_buf_init(&rd.esc);
	if (ok)
		ok = render(&rd, chosen, rcpts, n, reporting_mta);
	free(chosen);
	pb_buf_fini(&rd.line);
	pb_buf_fini(&rd.esc);
	if (ok) {
		out->text = pb_buf_take(&rd.text);
		out->html = pb_buf_take(&rd.html);
		ok = out->text != NULL && out->html != NULL;
	}
	pb_buf_fini(&rd.text);
	pb_buf_fini(&rd.html);
	if (!ok) {
		pb_explanation_fini(out);
		return PB_ENOMEM;
	}
	return PB_OK;
}

char *
pb_explain_entry_text(const struct pb_catalog_view *cat,
                      const struct pb_catalog_entry *e)
{
	struct render rd;
	size_t i;

	memset(&rd, 0, sizeof(rd));
	rd.cat = cat;
	pb_buf_init(&rd.text);
	pb_buf_init(&rd.line);
	for (i = 0; i < PB_NELEM(parts); i++) {
		const char *t = pb_catalog_field(e, parts[i]);
		if (t == NULL)
			continue;
		rd.line.len = 0;
		expand(&rd.line, t, NULL, false);
		wrap(&rd.text, label(&rd, parts[i]), "");
		wrap(&rd.text, rd.line.data ? rd.line.data : "", "  ");
	}
	if (rd.line.failed)
		rd.text.failed = true;
	pb_buf_fini(&rd.line);
	if (rd.text.failed) {
		pb_buf_fini(&rd.text);
		return NULL;
	}
	return pb_buf_take(&rd.text);
}

void
pb_explanation_fini(struct pb_explanation *ex)
{
	free(ex->text);
	free(ex->html);
	ex->text = ex->html = NULL;
}
