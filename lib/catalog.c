/*
 * catalog.c - parse an explanation catalog and look entries up by key.
 *
 * Input:     catalog text (borrowed), UTF-8:
 *              # comment
 *              [key]
 *              field = text
 *                continuation (leading white space; joined with a space)
 *            or a file holding such text (pb_catalog_load()).
 *            Keys: labels, generic, delay:generic, reason:REASON,
 *            delay:REASON, rule:RULE, delay:rule:RULE, status:C.S.D
 *            (C is 2, 4, 5 or X, the class-free form), reply:NNN.
 *            REASON is a reason name of DESIGN.md section 3, RULE a
 *            classifier rule name ([a-z0-9._-]).  Every entry but labels
 *            has exactly the fields what, cause, todo and owner.
 * Output:    struct pb_catalog, entries sorted by key for binary search.
 * Ownership: caller owns the catalog (pb_catalog_free()); lookups return
 *            views valid for its life.  It is never changed after
 *            parsing, so threads may share it.
 * Status:    PB_OK, PB_ENOMEM, PB_ECATALOG with the line at fault and a
 *            static reason; pb_catalog_load() adds the file name.
 * Limits:    PB_CATALOG_MAX_FIELDS fields per entry, PB_CATALOG_MAX_FILE
 *            bytes per file.
 * Next:      catalog_set.c stacks catalogs per language; explain.c
 *            renders entries.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_int.h"
#include "catalog.h"
#include "names.h"

#define PB_CATALOG_MAX_FIELDS 32
#define PB_CATALOG_MAX_FILE (4u << 20)

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

/* is_digits - does s hold 1 to max ASCII digits and nothing else? */
static bool
is_digits(const char *s, size_t max)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= max && s[n] == '\0';
}

/* valid_status - "C.S.D" with C one of 2, 4, 5, X and S, D 1-3 digits */
static bool
valid_status(const char *s)
{
	const char *dot;
	char sub[4];
	size_t n;

	if (strchr("245X", s[0]) == NULL || s[0] == '\0' || s[1] != '.')
		return false;
	if ((dot = strchr(s + 2, '.')) == NULL ||
	    (n = (size_t)(dot - (s + 2))) > 3)
		return false;
	memcpy(sub, s + 2, n);
	sub[n] = '\0';
	return is_digits(sub, 3) && is_digits(dot + 1, 3);
}

/* valid_rule - a rule name: [a-z0-9._-]+ */
static bool
valid_rule(const char *s)
{
	return s[0] != '\0' &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-")] == '\0';
}

/* valid_reason - a reason name of DESIGN.md section 3 */
static bool
valid_reason(const char *s)
{
	enum pb_reason r;

	return pb_reason_from_name(s, &r);
}

/* valid_key - is key one of the known key forms? */
static bool
valid_key(const char *key)
{
	if (strcmp(key, "labels") == 0 || strcmp(key, "generic") == 0 ||
	    strcmp(key, "delay:generic") == 0)
		return true;
	if (strncmp(key, "reason:", 7) == 0)
		return valid_reason(key + 7);
	if (strncmp(key, "delay:rule:", 11) == 0)
		return valid_rule(key + 11);
	if (strncmp(key, "delay:", 6) == 0)
		return valid_reason(key + 6);
	if (strncmp(key, "rule:", 5) == 0)
		return valid_rule(key + 5);
	if (strncmp(key, "status:", 7) == 0)
		return valid_status(key + 7);
	if (strncmp(key, "reply:", 6) == 0)
		return strchr("2345", key[6]) != NULL && key[6] != '\0' &&
		       is_digits(key + 6, 3) && strlen(key + 6) == 3;
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
	size_t errline;  /* line at fault when not the current one */
	const char *why; /* static reason of a PB_ECATALOG */
};

/* fail - record why the catalog is malformed; returns PB_ECATALOG */
static enum pb_status
fail(struct parse *ps, const char *why)
{
	ps->why = why;
	return PB_ECATALOG;
}

/* start_entry - begin [key]; PB_ECATALOG on a bad or duplicate key */
static enum pb_status
start_entry(struct parse *ps, const char *p, size_t n, size_t lineno)
{
	struct pb_catalog_entry *e;
	size_t i;

	if (n < 3 || p[n - 1] != ']')
		return fail(ps, "malformed [key] line");
	p++;
	n -= 2;
	pb_trim(&p, &n);
	if (ps->cur != NULL && !valid_entry(ps->cur)) {
		ps->errline = ps->cur->line;
		return fail(ps, "entry needs exactly the fields what, cause, "
		                "todo and owner");
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
		return fail(ps, "unknown key");
	for (i = 0; i + 1 < ps->cat->n; i++)
		if (strcmp(ps->cat->entries[i].key, e->key) == 0)
			return fail(ps, "duplicate key");
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

	if (ps->cur == NULL)
		return fail(ps, "field outside an entry");
	if (eq == NULL)
		return fail(ps, "expected 'field = text'");
	if (ps->cur->nfields == PB_CATALOG_MAX_FIELDS)
		return fail(ps, "too many fields");
	nn = (size_t)(eq - p);
	pb_trim(&name, &nn);
	text = eq + 1;
	tn = n - (size_t)(text - p);
	pb_trim(&text, &tn);
	if (nn == 0 || tn == 0 || memchr(name, ' ', nn) != NULL)
		return fail(ps, "empty field name or text, or space in name");
	f = &ps->cur->fields[ps->cur->nfields];
	f->name = pb_strndup_cap(name, nn, nn, NULL);
	f->text = pb_strndup_cap(text, tn, tn, NULL);
	ps->cur->nfields++;
	if (f->name == NULL || f->text == NULL)
		return PB_ENOMEM;
	if (pb_catalog_field(ps->cur, f->name) != f->text)
		return fail(ps, "duplicate field");
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
			return fail(ps, "continuation line without a field");
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
	const char *why;

	return pb_catalog_parse_why(text, len, out, errline, &why);
}

enum pb_status
pb_catalog_parse_why(const char *text, size_t len, struct pb_catalog **out,
                     size_t *errline, const char **why)
{
	struct parse ps;
	enum pb_status st = PB_OK;
	size_t i = 0, lineno = 0;

	*out = NULL;
	*errline = 0;
	*why = "";
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
			st = fail(&ps, "NUL byte");
		else
			st = parse_line(&ps, text + i, n, lineno);
		i = end + 1;
	}
	if (st == PB_OK && ps.cur != NULL && !valid_entry(ps.cur)) {
		st = fail(&ps, "entry needs exactly the fields what, cause, "
		               "todo and owner");
		lineno = ps.cur->line;
	}
	if (st == PB_OK && ps.cat->n > 0)
		qsort(ps.cat->entries, ps.cat->n, sizeof(*ps.cat->entries),
		      cmp_entry);
	if (st != PB_OK) {
		if (st == PB_ECATALOG) {
			*errline = ps.errline ? ps.errline : lineno;
			*why = ps.why ? ps.why : "malformed";
		}
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

const struct pb_catalog_entry *
pb_catalog_at(const struct pb_catalog *cat, size_t i)
{
	return i < cat->n ? &cat->entries[i] : NULL;
}

const char *
pb_catalog_field_at(const struct pb_catalog_entry *e, size_t i,
                    const char **name)
{
	if (i >= e->nfields)
		return NULL;
	*name = e->fields[i].name;
	return e->fields[i].text;
}

/* read_file - returns new: the whole file at path (NUL-terminated), cut
 * off with errno EFBIG above PB_CATALOG_MAX_FILE; NULL with errno set */
static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n = 0, got;
	int err;

	if (fp == NULL)
		return NULL;
	if ((buf = malloc(PB_CATALOG_MAX_FILE + 1)) == NULL) {
		fclose(fp);
		errno = ENOMEM;
		return NULL;
	}
	while (n <= PB_CATALOG_MAX_FILE &&
	       (got = fread(buf + n, 1, PB_CATALOG_MAX_FILE + 1 - n, fp)) > 0)
		n += got;
	err = ferror(fp) ? EIO : (n > PB_CATALOG_MAX_FILE ? EFBIG : 0);
	fclose(fp);
	if (err != 0) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* set_err - *err = new "path: text" or "path:line: text" (when err is
 * not NULL); left NULL when out of memory */
static void
set_err(char **err, const char *path, size_t line, const char *text)
{
	size_t n;

	if (err == NULL)
		return;
	n = strlen(path) + strlen(text) + 32;
	if ((*err = malloc(n)) == NULL)
		return;
	if (line > 0)
		snprintf(*err, n, "%s:%zu: %s", path, line, text);
	else
		snprintf(*err, n, "%s: %s", path, text);
}

enum pb_status
pb_catalog_load(const char *path, struct pb_catalog **out, char **err)
{
	enum pb_status st;
	const char *why;
	size_t len, line;
	char *text;

	*out = NULL;
	if (err != NULL)
		*err = NULL;
	if ((text = read_file(path, &len)) == NULL) {
		if (errno == ENOMEM)
			return PB_ENOMEM;
		set_err(err, path, 0,
		        errno == EFBIG ? "file too large" : strerror(errno));
		return PB_ECATALOG;
	}
	st = pb_catalog_parse_why(text, len, out, &line, &why);
	free(text);
	if (st == PB_ECATALOG)
		set_err(err, path, line, why);
	return st;
}

void
pb_catalog_view_init(struct pb_catalog_view *v, const struct pb_catalog *cat)
{
	memset(v, 0, sizeof(*v));
	if (cat != NULL)
		v->layer[v->n++] = cat;
}

bool
pb_catalog_view_add(struct pb_catalog_view *v, const struct pb_catalog *cat)
{
	if (cat == NULL)
		return true;
	if (v->n == PB_CATALOG_MAX_LAYERS)
		return false;
	v->layer[v->n++] = cat;
	return true;
}

const struct pb_catalog_entry *
pb_catalog_view_get(const struct pb_catalog_view *v, const char *key)
{
	const struct pb_catalog_entry *e;
	size_t i;

	for (i = 0; i < v->n; i++)
		if ((e = pb_catalog_get(v->layer[i], key)) != NULL)
			return e;
	return NULL;
}

const char *
pb_catalog_view_label(const struct pb_catalog_view *v, const char *name)
{
	const struct pb_catalog_entry *e;
	const char *t;
	size_t i;

	for (i = 0; i < v->n; i++)
		if ((e = pb_catalog_get(v->layer[i], "labels")) != NULL &&
		    (t = pb_catalog_field(e, name)) != NULL)
			return t;
	return NULL;
}
