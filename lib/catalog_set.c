/*
 * catalog_set.c - the catalogs of every language a context uses, each
 *                 stacked over its overrides and the English fallback.
 *
 * Input:     a catalog directory (files named by language: en, de, ...),
 *            an optional overrides file or directory, and the languages
 *            to load, the default first (all borrowed).
 * Output:    struct pb_catalog_set: per language a struct
 *            pb_catalog_view searched in this order:
 *              overrides of L, dir/L, overrides of en, dir/en, built-in en
 *            (layers that do not exist are left out; for L = en the
 *            first two are the English ones).  A key missing in dir/L
 *            thus falls back to English for that key alone, and labels
 *            fall back field by field.
 * Ownership: caller owns the set (pb_catalog_set_free()); views live as
 *            long as the set.  Nothing changes after pb_catalog_set_new,
 *            so any number of threads may read it.
 * Status:    PB_OK, PB_ENOMEM, PB_EINVAL (no language), PB_ECATALOG (a
 *            file missing, unreadable or malformed, a bad language name)
 *            with an error text naming the file and line.
 * Limits:    PB_CATALOG_MAX_FILE bytes per file (catalog.c); language
 *            names of 15 characters from [A-Za-z0-9_-], so that they are
 *            safe as file names.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pb_int.h"
#include "catalog.h"

#define PB_LANG_MAX 15

struct lang {
	char name[PB_LANG_MAX + 1];
	struct pb_catalog *file;     /* dir/L, or NULL */
	struct pb_catalog *override; /* overrides of L, or NULL */
	struct pb_catalog_view view;
};

struct pb_catalog_set {
	struct pb_catalog *builtin; /* the compiled-in English */
	struct lang *langs;         /* [0] default; English is among them */
	size_t n;
};

bool
pb_catalog_lang_is_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= PB_LANG_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "0123456789_-") == n;
}

void
pb_catalog_set_free(struct pb_catalog_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		pb_catalog_free(set->langs[i].file);
		pb_catalog_free(set->langs[i].override);
	}
	free(set->langs);
	pb_catalog_free(set->builtin);
	free(set);
}

/* set_errf - *err = new text "what: name" (err may be NULL) */
static void
set_errf(char **err, const char *what, const char *name)
{
	size_t n;

	if (err == NULL)
		return;
	n = strlen(what) + strlen(name) + 8;
	if ((*err = malloc(n)) != NULL)
		snprintf(*err, n, "%s '%s'", what, name);
}

/* join - returns new "dir/name", NULL on ENOMEM */
static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* load_opt - load dir/name into *out; a missing file is no error when
 * optional (then *out stays NULL) */
static enum pb_status
load_opt(const char *dir, const char *name, bool optional,
         struct pb_catalog **out, char **err)
{
	struct stat sb;
	enum pb_status st;
	char *path;

	*out = NULL;
	if ((path = join(dir, name)) == NULL)
		return PB_ENOMEM;
	if (optional && stat(path, &sb) != 0 && errno == ENOENT) {
		free(path);
		return PB_OK;
	}
	st = pb_catalog_load(path, out, err);
	free(path);
	return st;
}

/* find - the index of language name in set, or set->n */
static size_t
find(const struct pb_catalog_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->langs[i].name, name) == 0)
			return i;
	return set->n;
}

/* add_lang - append language name unless present; PB_ECATALOG when the
 * name is unsafe or dir is NULL and name is not en */
static enum pb_status
add_lang(struct pb_catalog_set *set, const char *dir, const char *name,
         char **err)
{
	if (name == NULL || !pb_catalog_lang_is_valid(name)) {
		set_errf(err, "invalid language name", name ? name : "(null)");
		return PB_ECATALOG;
	}
	if (find(set, name) < set->n)
		return PB_OK;
	if (dir == NULL && strcmp(name, "en") != 0) {
		set_errf(err,
		         "no catalog directory set: only built-in English, not",
		         name);
		return PB_ECATALOG;
	}
	memcpy(set->langs[set->n].name, name, strlen(name) + 1);
	set->n++;
	return PB_OK;
}

/* load_overrides - the overrides of each language from path (a file for
 * the default language, or a directory of files named by language) */
static enum pb_status
load_overrides(struct pb_catalog_set *set, const char *path, char **err)
{
	struct stat sb;
	enum pb_status st;
	size_t i;

	if (stat(path, &sb) != 0) {
		if (err != NULL) {
			size_t n = strlen(path) + 64;
			if ((*err = malloc(n)) != NULL)
				snprintf(*err, n, "%s: %s", path,
				         strerror(errno));
		}
		return PB_ECATALOG;
	}
	if (!S_ISDIR(sb.st_mode))
		return pb_catalog_load(path, &set->langs[0].override, err);
	for (i = 0; i < set->n; i++)
		if ((st = load_opt(path, set->langs[i].name, true,
		                   &set->langs[i].override, err)) != PB_OK)
			return st;
	return PB_OK;
}

/* make_views - stack each language's layers over English */
static void
make_views(struct pb_catalog_set *set)
{
	const struct lang *en = &set->langs[find(set, "en")];
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct lang *l = &set->langs[i];
		pb_catalog_view_init(&l->view, NULL);
		if (l != en) {
			pb_catalog_view_add(&l->view, l->override);
			pb_catalog_view_add(&l->view, l->file);
			l->view.own = l->view.n;
		}
		pb_catalog_view_add(&l->view, en->override);
		pb_catalog_view_add(&l->view, en->file);
		pb_catalog_view_add(&l->view, set->builtin);
	}
}

/* load_all - builtin, files and overrides of every language of set */
static enum pb_status
load_all(struct pb_catalog_set *set, const char *dir, const char *overrides,
         char **err)
{
	enum pb_status st;
	const char *why;
	size_t i, line;

	st = pb_catalog_parse_why(pb_catalog_builtin_en,
	                          pb_catalog_builtin_en_len, &set->builtin,
	                          &line, &why);
	if (st == PB_ECATALOG) {
		char *e = NULL;
		set_errf(&e, why, "built-in catalog");
		if (err != NULL)
			*err = e;
		else
			free(e);
	}
	if (st != PB_OK)
		return st;
	for (i = 0; dir != NULL && i < set->n; i++) {
		bool en = strcmp(set->langs[i].name, "en") == 0;
		if ((st = load_opt(dir, set->langs[i].name, en,
		                   &set->langs[i].file, err)) != PB_OK)
			return st;
	}
	if (overrides != NULL &&
	    (st = load_overrides(set, overrides, err)) != PB_OK)
		return st;
	make_views(set);
	return PB_OK;
}

enum pb_status
pb_catalog_set_new(const char *dir, const char *overrides,
                   const char *const *langs, size_t nlangs,
                   struct pb_catalog_set **out, char **err)
{
	struct pb_catalog_set *set;
	enum pb_status st = PB_OK;
	size_t i;

	*out = NULL;
	if (err != NULL)
		*err = NULL;
	if (nlangs == 0 || langs == NULL)
		return PB_EINVAL;
	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    (set->langs = calloc(nlangs + 1, sizeof(*set->langs))) == NULL) {
		free(set);
		return PB_ENOMEM;
	}
	for (i = 0; i < nlangs && st == PB_OK; i++)
		st = add_lang(set, dir, langs[i], err);
	if (st == PB_OK)
		st = add_lang(set, dir, "en", err);
	if (st == PB_OK)
		st = load_all(set, dir, overrides, err);
	if (st != PB_OK) {
		pb_catalog_set_free(set);
		return st;
	}
	*out = set;
	return PB_OK;
}

const struct pb_catalog_view *
pb_catalog_set_view(const struct pb_catalog_set *set, const char *lang)
{
	size_t i;

	if (lang == NULL)
		return &set->langs[0].view;
	i = find(set, lang);
	return i < set->n ? &set->langs[i].view : NULL;
}
