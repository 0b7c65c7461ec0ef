/*
 * fuzz_catalog.c - fuzz target: the catalog loader (pb_catalog_parse_why)
 * on the text of a catalog file, then every entry it holds rendered as
 * an explanation (placeholders, sentence dropping, wrapping) over the
 * built-in English catalog.
 *
 * Properties: a refused text names a line within the input and a
 * reason; an accepted one lists its entries in key order, each found
 * again by pb_catalog_get(); every line of a rendered text is at most
 * 1000 bytes.
 */
#include "config.h"

#include <string.h>

#include "catalog.h"
#include "classify.h"
#include "explain.h"
#include "fuzz.h"

/* count_lines - 1 + the number of LF in p[0..n) */
static size_t
count_lines(const uint8_t *p, size_t n)
{
	size_t i, lines = 1;

	for (i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/* check_lines - no line of s is over 1000 bytes */
static void
check_lines(const char *s)
{
	const char *nl;

	for (; (nl = strchr(s, '\n')) != NULL; s = nl + 1)
		FUZZ_CHECK(nl - s <= 1000);
	FUZZ_CHECK(strlen(s) <= 1000);
}

/* S - a writable copy of a literal (pb_rcpt strings are not const) */
#define S(lit) ((char[]){lit})

/* explain_two - explain a failed and a delayed recipient with view */
static void
explain_two(const struct pb_catalog_view *view)
{
	static const struct pb_help_url help[] = {
	    {"*", "https://help.example.com/bounces"}};
	struct pb_explain_opts o = {.org = "Example Mail",
	                            .support = "help@example.com",
	                            .max_size = "10 MB",
	                            .help_urls = help,
	                            .nhelp_urls = 1};
	struct pb_rcpt r[2] = {
	    {.addr = S("bob@gmial.com"), .action = S("failed"), .status = S("5.1.1"),
	     .reply = S("550"), .rhost = S("mx.gmial.com"),
	     .diagnostic = S("550 5.1.1 user unknown")},
	    {.addr = S("carol@example.org"), .action = S("delayed"),
	     .status = S("4.2.2"), .retry_until = S("Fri, 1 Jan 2100 00:00:00 +0000"),
	     .diagnostic = S("452 4.2.2 mailbox full")}};
	struct pb_explanation ex;
	size_t i;

	for (i = 0; i < 2; i++)
		pb_classify(&r[i]);
	if (pb_explain(view, &o, r, 2, "mx.example.net", &ex) == PB_OK) {
		check_lines(ex.text);
		check_lines(ex.html);
		pb_explanation_fini(&ex);
	}
	for (i = 0; i < 2; i++)
		free(r[i].explained_by);
}

/* render_all - render every entry of cat over en */
static void
render_all(const struct pb_catalog *cat, const struct pb_catalog *en)
{
	const struct pb_catalog_entry *e;
	struct pb_catalog_view view;
	const char *key, *prev = NULL;
	char *text;
	size_t i;

	pb_catalog_view_init(&view, cat);
	FUZZ_CHECK(pb_catalog_view_add(&view, en));
	for (i = 0; (e = pb_catalog_at(cat, i)) != NULL; i++) {
		key = pb_catalog_key(e);
		FUZZ_CHECK(prev == NULL || strcmp(prev, key) < 0);
		FUZZ_CHECK(pb_catalog_get(cat, key) == e);
		prev = key;
		if ((text = pb_explain_entry_text(&view, e)) != NULL) {
			check_lines(text);
			free(text);
		}
	}
	FUZZ_CHECK(i == pb_catalog_count(cat));
	explain_two(&view);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pb_catalog *en;
	struct pb_catalog *cat;
	const char *why = NULL;
	size_t line = 0;
	enum pb_status st;

	if (en == NULL)
		FUZZ_CHECK(pb_catalog_parse(pb_catalog_builtin_en,
		                            pb_catalog_builtin_en_len, &en,
		                            &line) == PB_OK);
	st = pb_catalog_parse_why((const char *)data, size, &cat, &line, &why);
	if (st == PB_ECATALOG) {
		FUZZ_CHECK(cat == NULL && why != NULL);
		FUZZ_CHECK(line >= 1 && line <= count_lines(data, size));
		return 0;
	}
	if (st != PB_OK)
		return 0;
	render_all(cat, en);
	pb_catalog_free(cat);
	return 0;
}
