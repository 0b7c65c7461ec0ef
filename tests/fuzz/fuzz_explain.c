/*
 * fuzz_explain.c - for the fuzz targets of the field and text parsers:
 * classify and explain the recipients they found, with the built-in
 * English catalog, and check that the HTML rendering holds no markup
 * and no link but the library's own.
 */
#include "config.h"

#include <string.h>

#include "catalog.h"
#include "classify.h"
#include "explain.h"
#include "fuzz_explain.h"

const struct pb_limits fuzz_small_limits = {
    .max_message_size = 1u << 20,
    .max_mime_depth = 8,
    .max_parts = 50,
    .max_rcpts = 20,
    .max_field_len = 256,
};

/* the operator's values: the only links allowed */
#define FUZZ_HELP "https://help.example.com/bounces"
#define FUZZ_SUPPORT "https://help.example.com/"

/* the tags pb_explain() writes; anything else after '<' is injected */
static const char *const tags[] = {
    "p>", "/p>", "p style=\"font-size:smaller\">", "strong>", "/strong>",
    "em>", "/em>", "br>", "/div>", "div style=\"border:2px solid #b00;",
    "a href=\"" FUZZ_HELP "\">", "a href=\"" FUZZ_SUPPORT "\">", "/a>",
};

/* tag_is - does s start with tag, where a line end of s and the next
 * line's indent (wrapped text) may stand for a space of tag? */
static int
tag_is(const char *s, const char *tag)
{
	for (; *tag != '\0'; s++, tag++) {
		if (*tag == ' ' && *s == '\n' && s[1] == ' ')
			s++;
		else if (*s != *tag && !(*tag == ' ' && *s == '\n'))
			return 0;
	}
	return 1;
}

/* check_html - every '<' of html starts one of our own tags */
static void
check_html(const char *html)
{
	const char *p;
	size_t i;

	for (p = strchr(html, '<'); p != NULL; p = strchr(p + 1, '<')) {
		for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			if (tag_is(p + 1, tags[i]))
				break;
		if (i == sizeof(tags) / sizeof(tags[0]))
			fprintf(stderr, "unexpected markup: %.40s\n", p);
		FUZZ_CHECK(i < sizeof(tags) / sizeof(tags[0]));
	}
}

void
fuzz_explain_check(struct pb_rcpt *rcpts, size_t n, const char *mta)
{
	static struct pb_catalog *en;
	static const struct pb_help_url help[] = {{"*", FUZZ_HELP}};
	static const char *const typo[] = {"example.com"};
	struct pb_explain_opts o = {
	    .org = "Example Mail",
	    .support = FUZZ_SUPPORT,
	    .max_size = "10 MB",
	    .help_urls = help,
	    .nhelp_urls = 1,
	    .typo_domains = typo,
	    .ntypo_domains = 1,
	};
	struct pb_catalog_view view;
	struct pb_explanation ex;
	size_t i;

	if (en == NULL)
		FUZZ_CHECK(pb_catalog_parse(pb_catalog_builtin_en,
		                            pb_catalog_builtin_en_len, &en,
		                            &i) == PB_OK);
	for (i = 0; i < n; i++)
		pb_classify(&rcpts[i]);
	pb_catalog_view_init(&view, en);
	if (pb_explain(&view, &o, rcpts, n, mta ? mta : "", &ex) == PB_OK) {
		check_html(ex.html);
		pb_explanation_fini(&ex);
	}
	for (i = 0; i < n; i++) { /* pb_rcpt_fini() leaves it */
		free(rcpts[i].explained_by);
		rcpts[i].explained_by = NULL;
	}
}
