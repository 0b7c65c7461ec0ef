/*
 * check_backscatter.c - unit tests of backscatter.c: host names in
 * Received lines, and whole bounces through pb_process() with and
 * without the operator's identity.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "backscatter.h"

static const struct {
	const char *name;
	const char *received;
	const char *host;
	bool want;
} host_cases[] = {
    {"by our host", "from a.example by mx1.example.com with ESMTP id 1",
     "mx1.example.com", true},
    {"case does not matter", "by MX1.Example.COM with SMTP", "mx1.example.com",
     true},
    {"followed by a dot", "by mx1.example.com. (Postfix)", "mx1.example.com",
     true},
    {"in brackets", "from [mx1.example.com] by x.test", "mx1.example.com",
     true},
    {"a longer name is another host", "by mx1.example.com.evil.test",
     "mx1.example.com", false},
    {"a prefix is another host", "by amx1.example.com", "mx1.example.com",
     false},
    {"absent", "from a.test by b.test", "mx1.example.com", false},
    {"empty host never matches", "by mx1.example.com", "", false},
};

START_TEST(names_host)
{
	ck_assert_msg(pb_backscatter_names_host(host_cases[_i].received,
	                                        host_cases[_i].host) ==
	                  host_cases[_i].want,
	              "case \"%s\"", host_cases[_i].name);
}
END_TEST

/* A Postfix-style bounce; ORIG is the returned part. */
#define DSN_HEAD                                                               \
	"From: MAILER-DAEMON@mx1.example.com\n"                                \
	"To: alice@example.com\n"                                              \
	"Subject: Undelivered Mail Returned to Sender\n"                       \
	"MIME-Version: 1.0\n"                                                  \
	"Content-Type: multipart/report; report-type=delivery-status;"         \
	" boundary=\"B\"\n"                                                    \
	"\n"                                                                   \
	"--B\n"                                                                \
	"Content-Type: text/plain\n"                                           \
	"\n"                                                                   \
	"The mail system\n"                                                    \
	"--B\n"                                                                \
	"Content-Type: message/delivery-status\n"                              \
	"\n"                                                                   \
	"Reporting-MTA: dns; mx1.example.com\n"                                \
	"\n"                                                                   \
	"Final-Recipient: rfc822; bob@example.org\n"                           \
	"Action: failed\n"                                                     \
	"Status: 5.1.1\n"                                                      \
	"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n"                      \
	"--B\n"

#define RFC822_PART(received, msgid)                                           \
	"Content-Type: message/rfc822\n"                                       \
	"\n"                                                                   \
	"Received: " received "\n"                                             \
	"Message-ID: <" msgid ">\n"                                            \
	"From: alice@example.com\n"                                            \
	"To: bob@example.org\n"                                                \
	"Subject: hi\n"                                                        \
	"\n"                                                                   \
	"hello\n"                                                              \
	"--B--\n"

#define HEADERS_PART(received)                                                 \
	"Content-Type: text/rfc822-headers\n"                                  \
	"\n"                                                                   \
	"Received: " received "\n"                                             \
	"From: alice@example.com\n"                                            \
	"--B--\n"

static const char *const ours_hosts[] = {"mx1.example.com"};
static const char *const ours_domains[] = {"example.com"};

static const struct {
	const char *name;
	const char *msg;
	size_t nhosts, ndomains;
	bool want;
} msg_cases[] = {
    {"sent through us",
     DSN_HEAD RFC822_PART(
         "from pc.example.com by mx1.example.com with ESMTPSA id 1",
         "1@pc.test"),
     1, 0, false},
    {"never through us: backscatter",
     DSN_HEAD RFC822_PART("from bot.test by relay.test with SMTP id 9",
                          "9@bot.test"),
     1, 0, true},
    {"our Message-ID domain",
     DSN_HEAD RFC822_PART("from bot.test by relay.test", "abc@example.com"), 1,
     1, false},
    {"no identity configured: never backscatter",
     DSN_HEAD RFC822_PART("from bot.test by relay.test", "9@bot.test"), 0, 0,
     false},
    {"headers only, not ours",
     DSN_HEAD HEADERS_PART("from bot.test by relay.test"), 1, 0, true},
    {"headers only, ours", DSN_HEAD HEADERS_PART("from pc by mx1.example.com"),
     1, 0, false},
    {"headers only, base64-encoded, ours",
     DSN_HEAD "Content-Type: text/rfc822-headers\n"
              "Content-Transfer-Encoding: base64\n\n"
              "UmVjZWl2ZWQ6IGZyb20gcGMgYnkgbXgxLmV4YW1wbGUuY29tCkZyb206IGFs"
              "aWNlQGV4YW1wbGUuY29tCg==\n--B--\n",
     1, 0, false},
    {"the original's body is not read",
     DSN_HEAD "Content-Type: message/rfc822\n\n"
              "Received: from bot.test by relay.test\n"
              "Subject: fwd\n\n"
              "Received: from pc by mx1.example.com\n--B--\n",
     1, 0, true},
    {"enclosed bounce: its returned original is the one looked at",
     "From: MAILER-DAEMON@gate.test\n"
     "Subject: Returned mail: see transcript for details\n"
     "MIME-Version: 1.0\n"
     "Content-Type: multipart/mixed; boundary=\"O\"\n\n"
     "--O\nContent-Type: text/plain\n\nThe following addresses had "
     "permanent delivery errors\n"
     "--O\nContent-Type: message/rfc822\n\n"
     "Received: from relay.test by gate.test with ESMTP id 7\n"
     "Message-ID: <7@relay.test>\n" DSN_HEAD RFC822_PART(
         "from pc.example.com by mx1.example.com with ESMTPSA id 1",
         "1@pc.test") "\n--O--\n",
     1, 0, false},
    {"no returned original: not decided",
     DSN_HEAD "Content-Type: "
              "text/plain\n\n(no original)\n--B--\n",
     1, 1, false},
};

START_TEST(whole_bounce)
{
	struct pb_options opt;
	struct pb_ctx *ctx;
	struct pb_result *res;
	const char *m = msg_cases[_i].msg;
	size_t i;

	pb_options_init(&opt);
	opt.local_hosts = ours_hosts;
	opt.nlocal_hosts = msg_cases[_i].nhosts;
	opt.local_msgid_domains = ours_domains;
	opt.nlocal_msgid_domains = msg_cases[_i].ndomains;
	ck_assert_int_eq(pb_ctx_new(&opt, &ctx), PB_OK);
	ck_assert_int_eq(pb_process(ctx, m, strlen(m), &res), PB_OK);
	ck_assert_msg(res->bounce, "case \"%s\": not a bounce",
	              msg_cases[_i].name);
	ck_assert_msg(res->backscatter == msg_cases[_i].want,
	              "case \"%s\": backscatter %d", msg_cases[_i].name,
	              res->backscatter);
	for (i = 0; i < res->nrcpts; i++)
		ck_assert_msg(
		    (strcmp(res->rcpts[i].explained_by, "rule:backscatter") ==
		     0) == msg_cases[_i].want,
		    "case \"%s\": explained by %s", msg_cases[_i].name,
		    res->rcpts[i].explained_by);
	pb_result_free(res);
	pb_ctx_free(ctx);
}
END_TEST

static Suite *
backscatter_suite(void)
{
	Suite *s = suite_create("backscatter");
	TCase *tc = tcase_create("hosts");

	tcase_add_loop_test(tc, names_host, 0, (int)PB_NELEM(host_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("bounces");
	tcase_add_loop_test(tc, whole_bounce, 0, (int)PB_NELEM(msg_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(backscatter_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
