/*
 * catalog.c - parse an explanation catalog and look entries up by key.
 *
 * Input:     catalog text (borrowed), UTF-8:
 *              # comment
 *              [key]
 *              field = text
 *                continuation (leading white space; joined with a space)
 *            Keys: labels, generic, delay:generic, reason:NAME,
 *            delay:NAME, status:X.Y.Z, reply:NNN.  Every entry but
 *            labels has the fields what, cause, todo and owner.
 * Output:    struct pb_catalog, entries sorted by key for binary search.
 * Ownership: caller owns the catalog (pb_catalog_free()); lookups return
 *            views valid for its life.  It is never changed after
 *            parsing, so threads may share it.
 * Status:    PB_OK, PB_ENOMEM, PB_ECATALOG with the line at fault.
 * Limits:    PB_CATALOG_MAX_FIELDS fields per entry.
 * Next:      explain.c renders entries.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pb_int.h"
#include "catalog.h"

#define PB_CATALOG_MAX_FIELDS 32

struct field {
	char *name;
	char *text;
};

struct pb_catalog_entry {
	char *key;
	size_t line; /* where it starts, for error messages */
	struct field fields[PB_CATALOG_MAX_FIELDS];
	size_t nfields;
};

struct pb_catalog {
	struct pb_catalog_entry *entries;
	size_t n;
};

static const char *const explanation_fields[] = {"what", "cause", "todo",
                                                 "owner"};

static const char *const key_prefixes[] = {
    "reason:", "delay:", "status:", "reply:"};

/* entry_fini - free one entry's strings */
static void
entry_fini(struct pb_catalog_entry *e)
{
	size_t i;

	for (i = 0; i < e->nfields; i++) {
		free(e->fields[i].name);
		free(e->fields[i].text);
	}
	free(e->key);
}

void
pb_catalog_free(struct pb_catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->n; i++)
		entry_fini(&cat->entries[i]);
	free(cat->entries);
	free(cat);
}

/* valid_key - is key one of the known key forms? */
static bool
valid_key(const char *key)
{
	size_t i, n;

	if (strcmp(key, "labels") == 0 || strcmp(key, "generic") == 0)
		return true;
	for (i = 0; i < PB_NELEM(key_prefixes); i++) {
		n = strlen(key_prefixes[i]);
		if (strncmp(key, key_prefixes[i], n) == 0 && key[n] != '\0')
			return true;
	}
	return false;
}

/* valid_entry - does e have the fields its kind needs? */
static bool
valid_entry(const struct pb_catalog_entry *e)
{
	size_t i;

	if (strcmp(e->key, "labels") == 0)
		return true;
	for (i = 0; i < PB_NELEM(explanation_fields); i++)
		if (pb_catalog_field(e, explanation_fields[i]) == NULL)
			return false;
	return e->nfields == PB_NELEM(explanation_fields);
}

/* cmp_entry - qsort/bsearch order by key */
static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct pb_catalog_entry *)a)->key,
	              ((const struct pb_catalog_entry *)b)->key);
}

/* append - add s[0..n) with a joining space to *text; false on ENOMEM */
static bool
append(char **text, const char *s, size_t n)
{
	size_t old = strlen(*text);
	char *p = realloc(*text, old + n + 2);

	if (p == NULL)
		return false;
	p[old] = ' ';
	memcpy(p + old + 1, s, n);
	p[old + 1 + n] = '\0';
	*text = p;
	return true;
}

struct parse {
	struct pb_catalog *cat;
	size_t cap;
	struct pb_catalog_entry *cur;
	struct field *last;
	size_t errline; /* line at fault when not the current one */
};

/* start_entry - begin [key]; PB_ECATALOG on a bad or duplicate key */
static enum pb_status
start_entry(struct parse *ps, const char *p, size_t n, size_t lineno)
{
	struct pb_catalog_entry *e;
	size_t i;

	if (n < 3 || p[n - 1] != ']')
		return PB_ECATALOG;
	p++;
	n -= 2;
	pb_trim(&p, &n);
	if (ps->cur != NULL && !valid_entry(ps->cur)) {
		ps->errline = ps->cur->line;
		return PB_ECATALOG;
	}
	if (ps->cat->n == ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 64;
		e = realloc(ps->cat->entries, ncap * sizeof(*e));
		if (e == NULL)
			return PB_ENOMEM;
		ps->cat->entries = e;
		ps->cap = ncap;
	}
	e = &ps->cat->entries[ps->cat->n];
	memset(e, 0, sizeof(*e));
	if ((e->key = pb_strndup_cap(p, n, n, NULL)) == NULL)
		return PB_ENOMEM;
	ps->cat->n++;
	e->line = lineno;
	if (!valid_key(e->key))
		return PB_ECATALOG;
	for (i = 0; i + 1 < ps->cat->n; i++)
		if (strcmp(ps->cat->entries[i].key, e->key) == 0)
			return PB_ECATALOG;
	ps->cur = e;
	ps->last = NULL;
	return PB_OK;
}

/* add_field - "name = text" into the current entry */
static enum pb_status
add_field(struct parse *ps, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	const char *name = p, *text;
	size_t nn, tn;
	struct field *f;

	if (ps->cur == NULL || eq == NULL ||
	    ps->cur->nfields == PB_CATALOG_MAX_FIELDS)
		return PB_ECATALOG;
	nn = (size_t)(eq - p);
	pb_trim(&name, &nn);
	text = eq + 1;
	tn = n - (size_t)(text - p);
	pb_trim(&text, &tn);
	if (nn == 0 || tn == 0 || memchr(name, ' ', nn) != NULL)
		return PB_ECATALOG;
	f = &ps->cur->fields[ps->cur->nfields];
	f->name = pb_strndup_cap(name, nn, nn, NULL);
	f->text = pb_strndup_cap(text, tn, tn, NULL);
	ps->cur->nfields++;
	if (f->name == NULL || f->text == NULL)
		return PB_ENOMEM;
	if (pb_catalog_field(ps->cur, f->name) != f->text)
		return PB_ECATALOG; /* the same field twice */
	ps->last = f;
	return PB_OK;
}

/* parse_line - one line without its line end */
static enum pb_status
parse_line(struct parse *ps, const char *l, size_t n, size_t lineno)
{
	const char *t = l;
	size_t tn = n;

	pb_trim(&t, &tn);
	if (tn == 0 || t[0] == '#')
		return PB_OK;
	if (l[0] == ' ' || l[0] == '\t') {
		if (ps->last == NULL)
			return PB_ECATALOG;
		return append(&ps->last->text, t, tn) ? PB_OK : PB_ENOMEM;
	}
	if (t[0] == '[')
		return start_entry(ps, t, tn, lineno);
	return add_field(ps, t, tn);
}

enum pb_status
pb_catalog_parse(const char *text, size_t len, struct pb_catalog **out,
                 size_t *errline)
{
	struct parse ps;
	enum pb_status st = PB_OK;
	size_t i = 0, lineno = 0;

	*out = NULL;
	*errline = 0;
	memset(&ps, 0, sizeof(ps));
	if ((ps.cat = calloc(1, sizeof(*ps.cat))) == NULL)
		return PB_ENOMEM;
	while (st == PB_OK && i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - i;
		lineno++;
		if (n > 0 && text[i + n - 1] == '\r')
			n--;
		if (memchr(text + i, '\0', n) != NULL)
			st = PB_ECATALOG;
		else
			st = parse_line(&ps, text + i, n, lineno);
		i = end + 1;
	}
	if (st == PB_OK && ps.cur != NULL && !valid_entry(ps.cur)) {
		st = PB_ECATALOG;
		lineno = ps.cur->line;
	}
	if (st == PB_OK && ps.cat->n > 0)
		qsort(ps.cat->entries, ps.cat->n, sizeof(*ps.cat->entries),
		      cmp_entry);
	if (st != PB_OK) {
		if (st == PB_ECATALOG)
			*errline = ps.errline ? ps.errline : lineno;
		pb_catalog_free(ps.cat);
		return st;
	}
	*out = ps.cat;
	return PB_OK;
}

const struct pb_catalog_entry *
pb_catalog_get(const struct pb_catalog *cat, const char *key)
{
	struct pb_catalog_entry k;

	k.key = (char *)(uintptr_t)key;
	if (cat->n == 0)
		return NULL;
	return bsearch(&k, cat->entries, cat->n, sizeof(k), cmp_entry);
}

const char *
pb_catalog_key(const struct pb_catalog_entry *e)
{
	return e->key;
}

const char *
pb_catalog_field(const struct pb_catalog_entry *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return e->fields[i].text;
	return NULL;
}

size_t
pb_catalog_count(const struct pb_catalog *cat)
{
	return cat->n;
}
