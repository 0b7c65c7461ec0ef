/*
 * check_catalog.c - unit tests of catalog.c: pb_catalog_parse on valid
 * and malformed catalogs (with the line at fault), lookups, and the
 * built-in English catalog (every reason has its entries).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "catalog.h"

Suite *catalog_suite(void);

#define ENTRY(key) "[" key "]\nwhat = w\ncause = c\ntodo = t\nowner = o\n"

static const char small[] = "# a small catalog\n"
                            "[labels]\n"
                            "title_failure = Failed\n"
                            "title_delay = Delayed\n"
                            "\n"
                            "[generic]\n"
                            "what = Mail to {recipient} failed.\n"
                            "cause = The server said no,\n"
                            "  for reasons of its own.\n"
                            "\t  Really.\n"
                            "  # an indented comment, not a continuation\n"
                            "todo = Try again.\n"
                            "owner=Nobody.\n"
                            "\n"
                            "[status:5.1.1]\n"
                            "what = W\n"
                            "cause = C\n"
                            "todo = T\n"
                            "owner = O\n";

/* --- valid catalogs ---------------------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	size_t count;
} valid_cases[] = {
    {"empty", "", 0},
    {"comments and blank lines only", "# one\n\n  # two\n\t\n", 0},
    {"labels only", "[labels]\ntitle_failure = Failed\n", 1},
    {"labels may be empty", "[labels]\n", 1},
    {"white space inside the brackets", "[ labels ]\n", 1},
    {"every key form",
     ENTRY("generic") ENTRY("delay:generic") ENTRY("reason:userunknown")
         ENTRY("delay:expired") ENTRY("status:5.1.1") ENTRY("reply:550"),
     6},
    {"CRLF line ends",
     "[labels]\r\na = b\r\n\r\n[generic]\r\nwhat = w\r\n"
     "cause = c\r\n  more\r\ntodo = t\r\nowner = o\r\n",
     2},
    {"no line end at the end", "[labels]\na = b", 1},
    {"the small catalog", small, 3},
};

START_TEST(parse_valid)
{
	struct pb_catalog *cat = NULL;
	size_t line = 99;
	enum pb_status st;

	st = pb_catalog_parse(valid_cases[_i].text,
	                      strlen(valid_cases[_i].text), &cat, &line);
	ck_assert_msg(st == PB_OK, "case \"%s\": %s at line %zu",
	              valid_cases[_i].name, pb_strerror(st), line);
	ck_assert_ptr_nonnull(cat);
	ck_assert_msg(pb_catalog_count(cat) == valid_cases[_i].count,
	              "case \"%s\": %zu entries", valid_cases[_i].name,
	              pb_catalog_count(cat));
	ck_assert_ptr_null(pb_catalog_get(cat, "no-such-key"));
	pb_catalog_free(cat);
}
END_TEST

/* --- lookups in the small catalog -------------------------------------- */

static const struct {
	const char *key;
	const char *field;
	const char *want; /* NULL: the field (or entry) is absent */
	bool entry;       /* the entry exists */
} lookup_cases[] = {
    {"labels", "title_failure", "Failed", true},
    {"labels", "title_delay", "Delayed", true},
    {"labels", "what", NULL, true},
    {"generic", "what", "Mail to {recipient} failed.", true},
    {"generic", "cause",
     "The server said no, for reasons of its own. "
     "Really.",
     true},
    {"generic", "todo", "Try again.", true},
    {"generic", "owner", "Nobody.", true},
    {"generic", "title_failure", NULL, true},
    {"status:5.1.1", "owner", "O", true},
    {"status:5.1.2", "owner", NULL, false},
    {"reason:userunknown", "what", NULL, false},
    {"Generic", "what", NULL, false},
    {"", "what", NULL, false},
};

START_TEST(lookup)
{
	struct pb_catalog *cat;
	const struct pb_catalog_entry *e;
	const char *got;
	size_t line;

	ck_assert_int_eq(pb_catalog_parse(small, strlen(small), &cat, &line),
	                 PB_OK);
	e = pb_catalog_get(cat, lookup_cases[_i].key);
	ck_assert_msg((e != NULL) == lookup_cases[_i].entry,
	              "key \"%s\": entry %s", lookup_cases[_i].key,
	              e ? "found" : "missing");
	if (e != NULL) {
		ck_assert_str_eq(pb_catalog_key(e), lookup_cases[_i].key);
		got = pb_catalog_field(e, lookup_cases[_i].field);
		if (lookup_cases[_i].want == NULL)
			ck_assert_msg(got == NULL, "[%s] %s: \"%s\"",
			              lookup_cases[_i].key,
			              lookup_cases[_i].field, got);
		else
			ck_assert_msg(
			    got != NULL &&
			        strcmp(got, lookup_cases[_i].want) == 0,
			    "[%s] %s: \"%s\"", lookup_cases[_i].key,
			    lookup_cases[_i].field, got ? got : "(null)");
	}
	pb_catalog_free(cat);
}
END_TEST

/* --- malformed catalogs ------------------------------------------------ */

static const struct {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
	size_t line;
} error_cases[] = {
    {"unknown key form", "[labels]\na = b\n[foo]\n", 0, 3},
    {"key prefix without a name", "[reason:]\n", 0, 1},
    {"unterminated key", "[generic\n", 0, 1},
    {"empty key", "[]\n", 0, 1},
    {"duplicate key", ENTRY("generic") "\n" ENTRY("generic"), 0, 7},
    {"duplicate labels", "[labels]\na = b\n\n[labels]\n", 0, 4},
    {"missing field at the end",
     "# c\n[generic]\nwhat = w\ncause = c\n"
     "todo = t\n",
     0, 2},
    {"unknown extra field", ENTRY("generic") "extra = x\n", 0, 1},
    {"field before any entry", "# c\n\nwhat = x\n", 0, 3},
    {"continuation before any field", "[generic]\n  more text\n", 0, 2},
    {"continuation at the start", "\tmore text\n", 0, 1},
    {"duplicate field", "[generic]\nwhat = a\nwhat = b\n", 0, 3},
    {"line without '='", "[generic]\nwhat a\n", 0, 2},
    {"empty field text", "[generic]\nwhat =\n", 0, 2},
    {"empty field name", "[generic]\n= text\n", 0, 2},
    {"space in a field name", "[generic]\nwhat now = x\n", 0, 2},
    {"NUL byte", "[labels]\na = b\0c\n", 17, 2},
    {"line numbers count CRLF lines", "[labels]\r\na = b\r\n\r\n[foo]\r\n", 0,
     4},
    /* Regression (was a bug): an entry that lacks a field is reported at the
     * line of the next entry's key (7) when one follows, but at its own key
     * line (2) when it is the last entry. */
    {"missing field before the next entry",
     "# c\n[generic]\nwhat = w\ncause = c\ntodo = t\n\n[labels]\n", 0, 2},
};
#define NERROR_OK PB_NELEM(error_cases)

START_TEST(parse_error)
{
	const char *text = error_cases[_i].text;
	size_t len = error_cases[_i].len ? error_cases[_i].len : strlen(text);
	static char sentinel;
	struct pb_catalog *cat = (struct pb_catalog *)(void *)&sentinel;
	size_t line = 0;
	enum pb_status st;

	st = pb_catalog_parse(text, len, &cat, &line);
	ck_assert_msg(st == PB_ECATALOG, "case \"%s\": status %s",
	              error_cases[_i].name, pb_strerror(st));
	ck_assert_msg(cat == NULL, "case \"%s\": *out not NULL",
	              error_cases[_i].name);
	ck_assert_msg(line == error_cases[_i].line,
	              "case \"%s\": line %zu, want %zu", error_cases[_i].name,
	              line, error_cases[_i].line);
}
END_TEST

/* --- the built-in English catalog -------------------------------------- */

/* parse_builtin - the built-in catalog; fails the test when unusable */
static struct pb_catalog *
parse_builtin(void)
{
	struct pb_catalog *cat = NULL;
	size_t line = 0;
	enum pb_status st;

	st = pb_catalog_parse(pb_catalog_builtin_en, pb_catalog_builtin_en_len,
	                      &cat, &line);
	ck_assert_msg(st == PB_OK, "built-in catalog: %s at line %zu",
	              pb_strerror(st), line);
	return cat;
}

/* The labels explain.c uses, and the fallback entries. */
static const struct {
	const char *key;
	const char *field;
} builtin_fixed[] = {
    {"labels", "title_failure"}, {"labels", "title_delay"},
    {"labels", "what"},          {"labels", "cause"},
    {"labels", "todo"},          {"labels", "owner"},
    {"labels", "details"},       {"labels", "recipient"},
    {"labels", "status"},        {"labels", "reply"},
    {"labels", "remote_mta"},    {"labels", "diagnostic"},
    {"labels", "retry_until"},   {"labels", "reporting_mta"},
    {"labels", "original"},      {"labels", "recipients_more"},
    {"generic", "what"},         {"delay:generic", "what"},
};

START_TEST(builtin_fixed_keys)
{
	struct pb_catalog *cat = parse_builtin();
	const struct pb_catalog_entry *e;
	const char *t;

	e = pb_catalog_get(cat, builtin_fixed[_i].key);
	ck_assert_msg(e != NULL, "no [%s]", builtin_fixed[_i].key);
	t = pb_catalog_field(e, builtin_fixed[_i].field);
	ck_assert_msg(t != NULL && t[0] != '\0', "[%s] has no %s",
	              builtin_fixed[_i].key, builtin_fixed[_i].field);
	pb_catalog_free(cat);
}
END_TEST

/* _i is a reason: reason:NAME and delay:NAME exist */
START_TEST(builtin_reason_keys)
{
	static const char *const prefixes[] = {"reason:", "delay:"};
	static const char *const fields[] = {"what", "cause", "todo", "owner"};
	struct pb_catalog *cat = parse_builtin();
	const char *name = pb_reason_name((enum pb_reason)_i);
	const struct pb_catalog_entry *e;
	char key[64];
	size_t p, f;

	for (p = 0; p < PB_NELEM(prefixes); p++) {
		snprintf(key, sizeof(key), "%s%s", prefixes[p], name);
		e = pb_catalog_get(cat, key);
		ck_assert_msg(e != NULL, "no [%s]", key);
		for (f = 0; f < PB_NELEM(fields); f++)
			ck_assert_msg(pb_catalog_field(e, fields[f]) != NULL,
			              "[%s] has no %s", key, fields[f]);
	}
	pb_catalog_free(cat);
}
END_TEST

/* Every {placeholder} in the built-in text is one explain.c fills. */
START_TEST(builtin_placeholders)
{
	static const char *const known[] = {
	    "recipient", "domain",      "rhost", "status",
	    "reply",     "retry_until", "count"};
	const char *p = pb_catalog_builtin_en, *close;
	size_t k;

	while ((p = strchr(p, '{')) != NULL) {
		close = strchr(p, '}');
		ck_assert_msg(close != NULL, "unclosed '{'");
		for (k = 0; k < PB_NELEM(known); k++)
			if (strlen(known[k]) == (size_t)(close - p - 1) &&
			    memcmp(known[k], p + 1, strlen(known[k])) == 0)
				break;
		ck_assert_msg(k < PB_NELEM(known), "unknown placeholder %.*s",
		              (int)(close - p + 1), p);
		p = close;
	}
}
END_TEST

Suite *
catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_valid, 0, PB_NELEM(valid_cases));
	tcase_add_loop_test(tc, lookup, 0, PB_NELEM(lookup_cases));
	tcase_add_loop_test(tc, parse_error, 0, NERROR_OK);
	suite_add_tcase(s, tc);

	tc = tcase_create("builtin");
	tcase_add_loop_test(tc, builtin_fixed_keys, 0, PB_NELEM(builtin_fixed));
	tcase_add_loop_test(tc, builtin_reason_keys, 0, PB_REASON_COUNT);
	tcase_add_test(tc, builtin_placeholders);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(catalog_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
