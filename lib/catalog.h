/*
 * catalog.h - explanation texts, as data: parse and look up.
 */
#ifndef PB_CATALOG_H
#define PB_CATALOG_H

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

#endif /* PB_CATALOG_H */
