/*
 * check_typo.c - unit tests of typo.c: the bounded Damerau-Levenshtein
 * distance (pb_typo_distance) and the domain suggestions
 * (pb_typo_suggest), including the cases that must give no hint.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "typo.h"

Suite *typo_suite(void);

static const struct {
	const char *a, *b;
	unsigned max, want;
} dist_cases[] = {
    {"", "", 2, 0},
    {"gmail.com", "gmail.com", 2, 0},
    {"GMail.COM", "gmail.com", 2, 0},
    {"gmial.com", "gmail.com", 2, 1},  /* swap */
    {"gmai.com", "gmail.com", 2, 1},   /* delete */
    {"gmaill.com", "gmail.com", 2, 1}, /* insert */
    {"gmakl.com", "gmail.com", 2, 1},  /* substitute */
    {"gmal.con", "gmail.com", 2, 2},
    {"hotmial.con", "hotmail.com", 2, 2},
    {"gnal.con", "gmail.com", 2, 3}, /* over max: max + 1 */
    {"abc", "", 2, 3},
    {"", "ab", 2, 2},
    {"ab", "ba", 2, 1},
    {"ca", "abc", 5, 3}, /* optimal string alignment, not full DL */
    {"kitten", "sitting", 5, 3},
    {"kitten", "sitting", 1, 2},
    {"example.org", "gmail.com", 2, 3},
    {"x", "yyyyyyyyy", 2, 3}, /* lengths too far apart */
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 2,
     3}, /* 65 bytes: over PB_TYPO_MAX_LEN */
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 2,
     1}, /* 64 bytes: still compared */
};

START_TEST(distance)
{
	unsigned d = pb_typo_distance(
	    dist_cases[_i].a, strlen(dist_cases[_i].a), dist_cases[_i].b,
	    strlen(dist_cases[_i].b), dist_cases[_i].max);

	ck_assert_msg(d == dist_cases[_i].want,
	              "\"%s\" / \"%s\" max %u: %u, "
	              "want %u",
	              dist_cases[_i].a, dist_cases[_i].b, dist_cases[_i].max, d,
	              dist_cases[_i].want);
	/* symmetric */
	ck_assert_uint_eq(
	    pb_typo_distance(dist_cases[_i].b, strlen(dist_cases[_i].b),
	                     dist_cases[_i].a, strlen(dist_cases[_i].a),
	                     dist_cases[_i].max),
	    d);
}
END_TEST

static const char *const extra[] = {"example-mail.de", "corp.ex"};

static const struct {
	const char *name;
	const char *domain;
	bool extra;
	const char *want; /* NULL: no hint */
} sug_cases[] = {
    {"swap", "gmial.com", false, "gmail.com"},
    {"missing letter", "hotmal.com", false, "hotmail.com"},
    {"hotmial", "hotmial.com", false, "hotmail.com"},
    {"yaho", "yaho.com", false, "yahoo.com"},
    {"outlok", "outlok.com", false, "outlook.com"},
    {"top-level typo", "gmail.con", false, "gmail.com"},
    {"two edits on a long domain", "gmal.con", false, "gmail.com"},
    {"upper case", "GMIAL.COM", false, "gmail.com"},
    {"googlemail", "googlemial.com", false, "googlemail.com"},
    {"t-online", "t-onlin.de", false, "t-online.de"},
    {"orange", "ornage.fr", false, "orange.fr"},
    {"laposte", "lapost.net", false, "laposte.net"},
    {"yandex", "yandx.ru", false, "yandex.ru"},
    {"web.de", "wbe.de", false, "web.de"},
    {"the right domain itself", "gmail.com", false, NULL},
    {"a real neighbour (gmx.at)", "gmx.at", false, NULL},
    {"a real neighbour (yandex.ua)", "yandex.ua", false, NULL},
    {"short domain, two edits", "gnx.dd", false, NULL},
    {"tie between two domains", "gmx.ne", false, NULL},
    {"far away", "example.org", false, NULL},
    {"no dot", "gmailcom", false, NULL},
    {"not ASCII", "gm\xc3\xa4il.com", false, NULL},
    {"empty", "", false, NULL},
    {"too long",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
     false, NULL},
    {"operator domain", "example-mial.de", true, "example-mail.de"},
    {"operator domain unknown without the list", "example-mial.de", false,
     NULL},
    {"operator domain itself", "corp.ex", true, NULL},
    {"short operator domain at distance 1", "crop.ex", true, "corp.ex"},
    {"short operator domain, two edits", "crop.xe", true, NULL},
};

START_TEST(suggest)
{
	const char *got = pb_typo_suggest(sug_cases[_i].domain,
	                                  sug_cases[_i].extra ? extra : NULL,
	                                  sug_cases[_i].extra ? 2 : 0);

	if (sug_cases[_i].want == NULL)
		ck_assert_msg(got == NULL, "case \"%s\": suggested %s",
		              sug_cases[_i].name, got);
	else
		ck_assert_msg(
		    got != NULL && strcmp(got, sug_cases[_i].want) == 0,
		    "case \"%s\": got %s, want %s", sug_cases[_i].name,
		    got ? got : "(null)", sug_cases[_i].want);
}
END_TEST

Suite *
typo_suite(void)
{
	Suite *s = suite_create("typo");
	TCase *tc = tcase_create("typo");

	tcase_add_loop_test(tc, distance, 0, PB_NELEM(dist_cases));
	tcase_add_loop_test(tc, suggest, 0, PB_NELEM(sug_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(typo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
