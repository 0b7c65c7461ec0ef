/*
 * explain.c - pick the catalog entry for each failed recipient and
 *             render the explanation as plain text and as HTML.
 *
 * Input:     recipients as classify.c left them, the catalog, the
 *            Reporting-MTA (all borrowed).
 * Output:    struct pb_explanation (new strings); each recipient's
 *            explained_by (new string).
 * Status:    PB_OK, PB_ENOMEM, PB_ECATALOG (no labels or generic entry).
 * Limits:    untrusted values (addresses, hosts, diagnostics) are
 *            cleaned and cut at PB_EXPLAIN_MAX_ITEM bytes; at most
 *            PB_EXPLAIN_MAX_LISTED recipients are listed in full.
 * Next:      rewrite.c puts the text into the message.
 *
 * Layout (DESIGN.md section 4): a title; per group of recipients that
 * share an entry, the four parts (what happened, likely cause, what you
 * can do, who must fix it); then the technical details per recipient.
 * Text from the bounce never becomes markup or a link: it is cleaned,
 * then HTML-escaped.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_int.h"
#include "explain.h"

#define PB_EXPLAIN_MAX_LISTED 20

static const char *const parts[] = {"what", "cause", "todo", "owner"};

/* The values placeholders stand for, cleaned. */
struct vars {
	char *recipient, *domain, *rhost, *status, *reply, *retry_until;
};

/* utf8_len - length of the valid UTF-8 sequence at s (n bytes left), or
 * 0 when it is invalid */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (len == 3 && s[0] == 0xe0 && s[1] < 0xa0)
		return 0; /* overlong */
	if (len == 3 && s[0] == 0xed && s[1] >= 0xa0)
		return 0; /* surrogate */
	if (len == 4 &&
	    ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return len;
}

void
pb_explain_clean(struct pb_buf *b, const char *s, size_t max)
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
		l = utf8_len(p + i, n - i);
		if (b->len - start + (l ? l : 1) > max) {
			pb_buf_adds(b, "...");
			return;
		}
		if (l == 0) {
			pb_buf_addc(b, '?');
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

/* clean_dup - returns new: the cleaned copy of s, NULL on ENOMEM */
static char *
clean_dup(const char *s)
{
	struct pb_buf b;

	pb_buf_init(&b);
	pb_explain_clean(&b, s, PB_EXPLAIN_MAX_ITEM);
	return pb_buf_take(&b);
}

/* is_delay - is r only delayed (to be retried)? */
static bool
is_delay(const struct pb_rcpt *r)
{
	return strcmp(r->action, "delayed") == 0 ||
	       (r->action[0] == '\0' && r->status[0] == '4');
}

const struct pb_catalog_entry *
pb_explain_key(const struct pb_catalog *cat, const struct pb_rcpt *r)
{
	const struct pb_catalog_entry *e;
	const char *pre = is_delay(r) ? "delay:" : "reason:";
	char key[64];

	if (r->status[0] != '\0' && strlen(r->status) < 32 &&
	    (r->status[0] == '4') == is_delay(r)) {
		snprintf(key, sizeof(key), "status:%s", r->status);
		if ((e = pb_catalog_get(cat, key)) != NULL)
			return e;
	}
	if (strlen(r->reply) == 3 && (r->reply[0] == '4') == is_delay(r)) {
		snprintf(key, sizeof(key), "reply:%s", r->reply);
		if ((e = pb_catalog_get(cat, key)) != NULL)
			return e;
	}
	snprintf(key, sizeof(key), "%s%s", pre, pb_reason_name(r->reason));
	if ((e = pb_catalog_get(cat, key)) != NULL)
		return e;
	if (is_delay(r) && (e = pb_catalog_get(cat, "delay:generic")) != NULL)
		return e;
	return pb_catalog_get(cat, "generic");
}

/* var_value - the value of placeholder name[0..n), NULL when unknown */
static const char *
var_value(const struct vars *v, const char *name, size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
	    {"recipient", offsetof(struct vars, recipient)},
	    {"domain", offsetof(struct vars, domain)},
	    {"rhost", offsetof(struct vars, rhost)},
	    {"status", offsetof(struct vars, status)},
	    {"reply", offsetof(struct vars, reply)},
	    {"retry_until", offsetof(struct vars, retry_until)},
	};
	size_t i;

	for (i = 0; i < PB_NELEM(names); i++)
		if (strlen(names[i].name) == n &&
		    memcmp(names[i].name, name, n) == 0)
			return *(char *const *)((const char *)v + names[i].off);
	return NULL;
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

/* expand - append text with placeholders filled in; a sentence that
 * holds a placeholder with no value is left out */
static void
expand(struct pb_buf *b, const char *text, const struct vars *v)
{
	const char *s = text, *e, *p;

	while (*s != '\0') {
		bool keep = true;
		e = sentence_end(s);
		for (p = s; p < e && keep; p++) {
			const char *close, *val;
			if (*p != '{' ||
			    (close = memchr(p, '}', (size_t)(e - p))) == NULL)
				continue;
			val = var_value(v, p + 1, (size_t)(close - p - 1));
			keep = val == NULL || val[0] != '\0';
		}
		for (p = s; keep && p < e; p++) {
			const char *close, *val = NULL;
			if (*p == '{' &&
			    (close = memchr(p, '}', (size_t)(e - p))) != NULL &&
			    (val = var_value(
			         v, p + 1, (size_t)(close - p - 1))) != NULL) {
				pb_buf_adds(b, val);
				p = close;
			} else {
				pb_buf_addc(b, *p);
			}
		}
		s = e;
	}
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

/* wrap - append text wrapped at PB_EXPLAIN_WIDTH with indent before
 * every line, each line ended by "\n" */
static void
wrap(struct pb_buf *b, const char *text, const char *indent)
{
	size_t ind = strlen(indent), col = 0;
	const char *p = text;

	while (*p != '\0') {
		size_t w;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = strcspn(p, " ");
		if (w > 900)
			w = 900;
		if (col > 0 && col + 1 + w > PB_EXPLAIN_WIDTH) {
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
		col += w;
		p += w;
	}
	if (col > 0)
		pb_buf_addc(b, '\n');
}

/* html_escape - append s with &, <, >, " and ' escaped */
static void
html_escape(struct pb_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
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
			pb_buf_addc(b, *s);
		}
	}
}

/* vars_fini - free placeholder values */
static void
vars_fini(struct vars *v)
{
	free(v->recipient);
	free(v->domain);
	free(v->rhost);
	free(v->status);
	free(v->reply);
	free(v->retry_until);
	memset(v, 0, sizeof(*v));
}

/* vars_init - fill placeholder values from r; false on ENOMEM */
static bool
vars_init(struct vars *v, const struct pb_rcpt *r)
{
	const char *at = strrchr(r->addr, '@');

	v->recipient = clean_dup(r->addr);
	v->domain = clean_dup(at ? at + 1 : "");
	v->rhost = clean_dup(r->rhost);
	v->status = clean_dup(r->status);
	v->reply = clean_dup(r->reply);
	v->retry_until = clean_dup(r->retry_until);
	return v->recipient && v->domain && v->rhost && v->status && v->reply &&
	       v->retry_until;
}

/* label - the labels entry's field, or the field name itself */
static const char *
label(const struct pb_catalog_entry *labels, const char *name)
{
	const char *t = pb_catalog_field(labels, name);

	return t ? t : name;
}

/* Output under construction. */
struct render {
	const struct pb_catalog_entry *labels;
	struct pb_buf text, html, line, esc;
};

/* add_part - one of the four parts of an entry, in both renderings */
static void
add_part(struct render *rd, const char *name, const char *expanded)
{
	pb_buf_adds(&rd->text, label(rd->labels, name));
	pb_buf_addc(&rd->text, '\n');
	wrap(&rd->text, expanded, "  ");
	pb_buf_adds(&rd->html, "<p><strong>");
	html_escape(&rd->html, label(rd->labels, name));
	pb_buf_adds(&rd->html, "</strong><br>\n");
	rd->line.len = 0;
	html_escape(&rd->line, expanded);
	if (!rd->line.failed)
		wrap(&rd->html, rd->line.data ? rd->line.data : "", "");
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

/* add_group - the explanation of one entry for the recipients that use
 * it (indexes idx[0..k)) */
static bool
add_group(struct render *rd, const struct pb_catalog_entry *e,
          const struct pb_rcpt *rcpts, const size_t *idx, size_t k)
{
	struct vars v;
	struct pb_buf list, ex;
	size_t i;
	bool ok;

	memset(&v, 0, sizeof(v));
	if (!vars_init(&v, &rcpts[idx[0]])) {
		vars_fini(&v);
		return false;
	}
	pb_buf_init(&list);
	for (i = 0; i < k && i < PB_EXPLAIN_MAX_LISTED; i++) {
		if (i > 0)
			pb_buf_adds(&list, ", ");
		pb_explain_clean(&list, rcpts[idx[i]].addr,
		                 PB_EXPLAIN_MAX_ITEM);
	}
	if (k > PB_EXPLAIN_MAX_LISTED)
		add_more(&list, label(rd->labels, "recipients_more"),
		         k - PB_EXPLAIN_MAX_LISTED);
	if (k > 1 && !list.failed) { /* the whole group is meant */
		free(v.recipient);
		v.recipient = pb_buf_take(&list);
		pb_buf_init(&list);
		if (v.recipient == NULL) {
			vars_fini(&v);
			return false;
		}
	}
	pb_buf_fini(&list);
	pb_buf_init(&ex);
	for (i = 0; i < PB_NELEM(parts); i++) {
		ex.len = 0;
		expand(&ex, pb_catalog_field(e, parts[i]), &v);
		if (ex.failed)
			break;
		add_part(rd, parts[i], ex.data ? ex.data : "");
	}
	ok = !ex.failed;
	pb_buf_fini(&ex);
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
	pb_buf_adds(&rd->line, label(rd->labels, name));
	pb_buf_addc(&rd->line, ' ');
	pb_explain_clean(&rd->line, value, PB_EXPLAIN_MAX_ITEM);
	if (rd->line.failed)
		return;
	wrap(&rd->text, rd->line.data, "  ");
	pb_buf_adds(&rd->html, "<br>\n");
	rd->esc.len = 0;
	html_escape(&rd->esc, rd->line.data);
	if (!rd->esc.failed)
		wrap(&rd->html, rd->esc.data, "");
}

/* add_details - technical details of every failed recipient */
static void
add_details(struct render *rd, const struct pb_rcpt *rcpts, size_t n,
            const char *reporting_mta)
{
	size_t i, shown = 0;

	pb_buf_addc(&rd->text, '\n');
	pb_buf_adds(&rd->text, label(rd->labels, "details"));
	pb_buf_addc(&rd->text, '\n');
	pb_buf_adds(&rd->html, "<p style=\"font-size:smaller\"><strong>");
	html_escape(&rd->html, label(rd->labels, "details"));
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

/* render - the whole explanation; false on ENOMEM */
static bool
render(struct render *rd, const struct pb_catalog_entry **chosen,
       struct pb_rcpt *rcpts, size_t n, const char *reporting_mta)
{
	size_t *idx, i, j, k;
	bool any_hard = false, ok = true;
	const char *title;

	for (i = 0; i < n; i++)
		if (rcpts[i].failed && !is_delay(&rcpts[i]))
			any_hard = true;
	title = label(rd->labels, any_hard ? "title_failure" : "title_delay");
	pb_buf_adds(&rd->text, "*** ");
	pb_buf_adds(&rd->text, title);
	pb_buf_adds(&rd->text, " ***\n\n");
	pb_buf_adds(&rd->html, "<div style=\"border:2px solid #b00;"
	                       "padding:8px;margin:0 0 12px 0\">\n"
	                       "<p><strong>");
	html_escape(&rd->html, title);
	pb_buf_adds(&rd->html, "</strong></p>\n");

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
	add_details(rd, rcpts, n, reporting_mta);
	pb_buf_adds(&rd->text, "\n");
	pb_buf_adds(&rd->text, label(rd->labels, "original"));
	pb_buf_adds(&rd->text, "\n");
	pb_buf_adds(
	    &rd->text,
	    "------------------------------------------------------------"
	    "----------\n\n");
	pb_buf_adds(&rd->html, "<p><em>");
	html_escape(&rd->html, label(rd->labels, "original"));
	pb_buf_adds(&rd->html, "</em></p>\n</div>\n");
	return ok && !rd->text.failed && !rd->html.failed;
}

enum pb_status
pb_explain(const struct pb_catalog *cat, struct pb_rcpt *rcpts, size_t n,
           const char *reporting_mta, struct pb_explanation *out)
{
	const struct pb_catalog_entry **chosen;
	struct render rd;
	size_t i;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	memset(&rd, 0, sizeof(rd));
	if ((rd.labels = pb_catalog_get(cat, "labels")) == NULL ||
	    pb_catalog_get(cat, "generic") == NULL)
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

void
pb_explanation_fini(struct pb_explanation *ex)
{
	free(ex->text);
	free(ex->html);
	ex->text = ex->html = NULL;
}
