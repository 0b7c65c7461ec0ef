/*
 * catalog.h - explanation texts, as data: parse, load from files, look
 * up, and stack several catalogs into one view (a language, its
 * operator overrides and the English fallback).
 */
#ifndef PB_CATALOG_H
#define PB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "plainbounce.h"

struct pb_catalog;
struct pb_catalog_entry;

/* The English catalog compiled in from etc/catalog/en. */
extern const char pb_catalog_builtin_en[];
extern const size_t pb_catalog_builtin_en_len;

/*
 * pb_catalog_parse - read catalog text[0..len) (borrowed; see
 * etc/catalog/en for the format).  PB_OK: *out is new, free with
 * pb_catalog_free().  PB_ECATALOG: the text is malformed, *errline is
 * the 1-based line at fault and *out NULL.  PB_ENOMEM: *out NULL.
 */
enum pb_status pb_catalog_parse(const char *text, size_t len,
                                struct pb_catalog **out, size_t *errline);

/*
 * pb_catalog_parse_why - as pb_catalog_parse(); on PB_ECATALOG *why is
 * a static English text saying what is wrong ("unknown key", ...).
 */
enum pb_status pb_catalog_parse_why(const char *text, size_t len,
                                    struct pb_catalog **out, size_t *errline,
                                    const char **why);

/*
 * pb_catalog_load - read and parse the catalog file at path (borrowed).
 * PB_OK: *out is new and *err NULL.  PB_ECATALOG: the file cannot be
 * read or is malformed; *out is NULL and *err (when err is not NULL)
 * new text naming the file and line ("dir/de:12: unknown key"), to be
 * freed.  PB_ENOMEM: *out and *err NULL.
 */
enum pb_status pb_catalog_load(const char *path, struct pb_catalog **out,
                               char **err);

/* pb_catalog_free - release a catalog; NULL is a no-op */
void pb_catalog_free(struct pb_catalog *cat);

/* pb_catalog_get - returns view (life of cat): the entry called key, or
 * NULL */
const struct pb_catalog_entry *pb_catalog_get(const struct pb_catalog *cat,
                                              const char *key);

/* pb_catalog_key - returns view: the entry's key */
const char *pb_catalog_key(const struct pb_catalog_entry *e);

/* pb_catalog_field - returns view: the text of field name, or NULL */
const char *pb_catalog_field(const struct pb_catalog_entry *e,
                             const char *name);

/* pb_catalog_count - number of entries */
size_t pb_catalog_count(const struct pb_catalog *cat);

/* pb_catalog_at - returns view: entry i in key order, NULL past the end */
const struct pb_catalog_entry *pb_catalog_at(const struct pb_catalog *cat,
                                             size_t i);

/* pb_catalog_field_at - returns view: the text of field i of e (*name a
 * view of its name), NULL past the end */
const char *pb_catalog_field_at(const struct pb_catalog_entry *e, size_t i,
                                const char **name);

/*
 * A view: catalogs searched in order, the first that holds a key wins
 * (for example: overrides of German, German, overrides of English,
 * English, built-in English).  Borrows its catalogs; plain data, so it
 * can live inside an immutable context and be read by many threads.
 */
#define PB_CATALOG_MAX_LAYERS 6
struct pb_catalog_view {
	const struct pb_catalog *layer[PB_CATALOG_MAX_LAYERS];
	size_t n;
	size_t own; /* the first own layers are the reader's language;
		       the rest is the English fallback */
};

/* pb_catalog_view_init - a view of cat alone (borrowed; NULL: empty) */
void pb_catalog_view_init(struct pb_catalog_view *v,
                          const struct pb_catalog *cat);

/* pb_catalog_view_add - search cat (borrowed; NULL is skipped) after
 * the layers already there; false when the view is full */
bool pb_catalog_view_add(struct pb_catalog_view *v,
                         const struct pb_catalog *cat);

/* pb_catalog_view_get - returns view: the first layer's entry for key */
const struct pb_catalog_entry *
pb_catalog_view_get(const struct pb_catalog_view *v, const char *key);

/* pb_catalog_view_label - returns view: the labels field name from the
 * first layer whose [labels] has it (labels fall back field by field),
 * or NULL */
const char *pb_catalog_view_label(const struct pb_catalog_view *v,
                                  const char *name);

/*
 * A catalog set: the catalogs of every language a context uses.
 * langs[0] is the default language; English is always loaded (from
 * dir/en when that file exists, and always the built-in English below
 * it).  Any other language L needs the file dir/L.  overrides (may be
 * NULL) is a file whose entries replace those of the default language,
 * or a directory whose files L (optional) replace those of language L.
 * dir NULL: no files; then only English is available.
 */
struct pb_catalog_set;

/*
 * pb_catalog_set_new - load the set.  Borrows every argument.
 * PB_OK: *out is new (pb_catalog_set_free()), *err NULL.
 * PB_ECATALOG: a file is missing or malformed, or a language name is
 * invalid; *err (when err is not NULL) is new text naming the file and
 * line.  PB_EINVAL: nlangs is 0.  PB_ENOMEM.  On failure *out is NULL.
 */
enum pb_status pb_catalog_set_new(const char *dir, const char *overrides,
                                  const char *const *langs, size_t nlangs,
                                  struct pb_catalog_set **out, char **err);

/* pb_catalog_set_free - release a set; NULL is a no-op */
void pb_catalog_set_free(struct pb_catalog_set *set);

/* pb_catalog_set_view - returns view (life of set): the view of lang,
 * or of the default language when lang is NULL; NULL when lang is not
 * in the set */
const struct pb_catalog_view *
pb_catalog_set_view(const struct pb_catalog_set *set, const char *lang);

/* pb_catalog_lang_is_valid - is s a safe language name ([A-Za-z0-9_-],
 * 1 to 15 characters)? */
bool pb_catalog_lang_is_valid(const char *s);

#endif /* PB_CATALOG_H */
