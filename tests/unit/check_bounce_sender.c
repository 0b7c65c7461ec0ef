/*
 * check_bounce_sender.c - mf_config_is_bounce_sender (milter/config.c):
 * which non-null envelope senders the milter treats like the null
 * sender.  It runs for every ordinary message (tests/bench: the quick
 * rejection by the pattern's literal start must not change the answer).
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "plainbounce.h"
#include "mf_config.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	const char *patterns; /* BounceSenders */
	const char *sender;
	bool want;
} cases[] = {
    {"default pattern", "MAILER-DAEMON@*", "MAILER-DAEMON@mx.example", true},
    {"default, lower case", "MAILER-DAEMON@*", "mailer-daemon@mx.example",
     true},
    {"default, mixed case", "MAILER-DAEMON@*", "Mailer-Daemon@MX.example",
     true},
    {"ordinary sender", "MAILER-DAEMON@*", "alice@example.org", false},
    {"same first letter", "MAILER-DAEMON@*", "mailer@example.org", false},
    {"literal start only", "MAILER-DAEMON@*", "MAILER-DAEMON", false},
    {"sender shorter than the literal start", "MAILER-DAEMON@*", "m", false},
    {"empty sender", "MAILER-DAEMON@*", "", false},
    {"second pattern", "MAILER-DAEMON@* postmaster@*",
     "PostMaster@example.net", true},
    {"wildcard first", "*@bounces.example", "x123@Bounces.Example", true},
    {"wildcard first, other domain", "*@bounces.example", "x@example", false},
    {"question mark", "bounce?@*", "bounce7@example", true},
    {"bracket", "[bc]ounce@*", "Counce@example", true},
    {"bracket, no match", "[bc]ounce@*", "dounce@example", false},
    {"exact address", "bounces@example.com", "BOUNCES@example.com", true},
    {"exact address, longer sender", "bounces@example.com",
     "bounces@example.com.evil", false},
    {"exact address, shorter sender", "bounces@example.com",
     "bounces@example.co", false},
    {"literal start longer than the sender", "mailer-daemon@*", "mailer",
     false},
};

START_TEST(bounce_sender)
{
	struct mf_override ov = {"BounceSenders", cases[_i].patterns};
	struct mf_config *cfg;
	char err[256];

	ck_assert_msg(mf_config_load("/dev/null", &ov, 1, &cfg, err,
	                             sizeof(err)) == 0,
	              "case \"%s\": %s", cases[_i].name, err);
	ck_assert_msg(mf_config_is_bounce_sender(cfg, cases[_i].sender,
	                                         strlen(cases[_i].sender)) ==
	                  cases[_i].want,
	              "case \"%s\"", cases[_i].name);
	mf_config_free(cfg);
}
END_TEST

static Suite *
bounce_sender_suite(void)
{
	Suite *s = suite_create("bounce_sender");
	TCase *tc = tcase_create("patterns");

	tcase_add_loop_test(tc, bounce_sender, 0, NELEM(cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(bounce_sender_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
